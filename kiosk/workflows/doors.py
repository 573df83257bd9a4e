"""Which door a delivery gets: a pure choice over what the terminal knows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

DELIVERY = "Delivery"

# Smaller doors first, so large doors stay free for large packages.
_SIZE_RANK = {"XS": 0, "S": 1, "M": 2, "L": 3, "XL": 4}

# The most comfortable height to reach into, in cm from the floor to the door.
_COMFORT_CM = 100


@dataclass(frozen=True)
class DoorInfo:
    """What Konnect says about a door."""

    identifier: str
    profile: str
    size: str
    height_cm: int | None = None
    enabled: bool = True
    occupied: bool = False


def choose_delivery_door(
    doors: Iterable[DoorInfo],
    usable: Callable[[str], bool],
    avoid: frozenset[str] = frozenset(),
    larger_than: str | None = None,
) -> str | None:
    """The best free delivery door, or None.

    Args:
        doors: the location's doors.
        usable: whether the terminal can drive a door now (wired, in service, and
            observed shut).
        avoid: doors already tried for this delivery.
        larger_than: a size the package did not fit; only larger doors will do.
    """
    floor = -1 if larger_than is None else _rank(larger_than)
    candidates = [
        door
        for door in doors
        if door.profile == DELIVERY
        and door.enabled
        and not door.occupied
        and door.identifier not in avoid
        and _rank(door.size) > floor
        and usable(door.identifier)
    ]
    if not candidates:
        return None
    return min(candidates, key=_preference).identifier


def _rank(size: str) -> int:
    return _SIZE_RANK.get(size.upper(), len(_SIZE_RANK))


def size_of(doors: Iterable[DoorInfo], identifier: str) -> str | None:
    """The size of a door, if known."""
    return next((d.size for d in doors if d.identifier == identifier), None)


def _preference(door: DoorInfo) -> tuple[int, int, str]:
    height = _COMFORT_CM if door.height_cm is None else door.height_cm
    return _rank(door.size), abs(height - _COMFORT_CM), door.identifier
