"""Which door a delivery gets."""

from __future__ import annotations

from kiosk.workflows.doors import DoorInfo, choose_delivery_door

BANK = [
    DoorInfo("A1", "Delivery", "L", 20),
    DoorInfo("A2", "Delivery", "M", 60),
    DoorInfo("A3", "Delivery", "S", 100),
    DoorInfo("A4", "Delivery", "S", 140),
    DoorInfo("D1", "Inventory", "S", 100),
]


def everything(door: str) -> bool:
    return True


def test_the_smallest_door_at_a_comfortable_height_first():
    assert choose_delivery_door(BANK, everything) == "A3"


def test_only_free_enabled_usable_delivery_doors():
    bank = [
        DoorInfo("A3", "Delivery", "S", 100, occupied=True),
        DoorInfo("A4", "Delivery", "S", 140, enabled=False),
        DoorInfo("D1", "Inventory", "S", 100),
        DoorInfo("A2", "Delivery", "M", 60),
        DoorInfo("A1", "Delivery", "L", 20),
    ]
    assert choose_delivery_door(bank, lambda d: d != "A2") == "A1"


def test_tried_doors_are_avoided_and_none_left_is_none():
    tried = frozenset({"A1", "A2", "A3"})
    assert choose_delivery_door(BANK, everything, tried) == "A4"
    assert choose_delivery_door(BANK, everything, tried | {"A4"}) is None


def test_a_package_too_big_for_a_door_gets_only_larger_ones():
    assert choose_delivery_door(BANK, everything, frozenset({"A3"}), "S") == "A2"
    assert choose_delivery_door(BANK, everything, frozenset(), "M") == "A1"
    assert choose_delivery_door(BANK, everything, frozenset(), "L") is None
