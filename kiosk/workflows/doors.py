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
) -> str | None:
    """The best free delivery door, or None.

    Args:
        doors: the location's doors.
        usable: whether the terminal can drive a door now (wired, in service, and
            observed shut).
        avoid: doors already tried for this delivery.
    """
    candidates = [
        door
        for door in doors
        if door.profile == DELIVERY
        and door.enabled
        and not door.occupied
        and door.identifier not in avoid
        and usable(door.identifier)
    ]
    if not candidates:
        return None
    return min(candidates, key=_preference).identifier


def _preference(door: DoorInfo) -> tuple[int, int, str]:
    height = _COMFORT_CM if door.height_cm is None else door.height_cm
    size = _SIZE_RANK.get(door.size.upper(), len(_SIZE_RANK))
    return size, abs(height - _COMFORT_CM), door.identifier
