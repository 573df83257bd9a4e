"""Every lock-board family with its simulated twin and its test vectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.board_8a80 import Board8A80Bus
from drivers.kerong import KerongCU16Bus
from drivers.kerong_cu48 import KerongCU48Bus
from drivers.serial_bus import SerialLockBus
from drivers.sim.board_8a80 import SimBoard8A80Bus
from drivers.sim.kerong import SimKerongBus
from drivers.sim.kerong_cu48 import SimKerongCU48Bus
from drivers.sim.lockers import SimLockBoards
from drivers.sim.winnsen import SimWinnsenBus
from drivers.sim.wkly import SimWklyBus
from drivers.winnsen import WinnsenBus
from drivers.wkly import WklyBus


@dataclass(frozen=True)
class Family:
    """A board family as the tests see it.

    Attributes:
        name: The registry name.
        sim: Builds the twin with the given board addresses.
        driver: Builds the production driver on a port (short timeouts).
        boards: Two addresses the twin fits.
        channels: Channels per board.
        unlocks: (board, channel, exact frame) from protocols.md.
        status: (board, exact first status frame) from protocols.md.
    """

    name: str
    sim: Callable[[tuple[int, ...]], SimLockBoards]
    driver: Callable[..., SerialLockBus[Any]]
    boards: tuple[int, int]
    channels: int
    unlocks: tuple[tuple[int, int, str], ...]
    status: tuple[int, str]


FAMILIES = [
    Family(
        "kerong-cu16",
        lambda boards: SimKerongBus(boards),
        KerongCU16Bus,
        (0, 1),
        16,
        ((0, 1, "02 00 31 03 36"), (1, 5, "02 14 31 03 4A")),
        (1, "02 10 30 03 45"),
    ),
    Family(
        "kerong-cu48",
        lambda boards: SimKerongCU48Bus(boards),
        KerongCU48Bus,
        (0, 1),
        48,
        (
            (0, 1, "02 00 00 61 03 66"),
            (0, 2, "02 00 01 61 03 67"),
            (0, 5, "02 00 04 61 03 6A"),
        ),
        (0, "02 00 00 60 03 65"),
    ),
    Family(
        "lockboard-8a80",
        lambda boards: SimBoard8A80Bus(boards),
        Board8A80Bus,
        (1, 2),
        24,
        ((1, 1, "8A 01 01 11 9B"),),
        (1, "80 01 00 33 B2"),
    ),
    Family(
        "winnsen",
        lambda boards: SimWinnsenBus(boards),
        WinnsenBus,
        (1, 2),
        16,
        ((1, 1, "90 06 05 01 01 03"), (2, 16, "90 06 05 02 10 03")),
        (1, "90 06 12 01 01 03"),
    ),
    Family(
        "wkly",
        lambda boards: SimWklyBus(boards),
        WklyBus,
        (0, 1),
        24,
        ((0, 1, "57 4B 4C 59 09 00 82 01 83"),),
        (0, "57 4B 4C 59 08 00 84 85"),
    ),
]
