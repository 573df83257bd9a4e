"""The small interfaces every device back-end implements.

The terminal sees three kinds of device: lock buses (boards or relay modules that
drive door locks and read door sensors), scanners and keypads. Each back-end hides
its wire protocol behind one of these interfaces; none of them knows what a
delivery is.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass


class DeviceError(Exception):
    """A device did not do what was asked: no reply, a bad reply, a lost port."""


class LockState(enum.Enum):
    """What a lock reports about its latch."""

    LOCKED = "locked"
    UNLOCKED = "unlocked"
    UNKNOWN = "unknown"


class DoorSensor(enum.Enum):
    """What a door sensor reports."""

    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class ItemSensor(enum.Enum):
    """What an item (infrared) sensor reports, where the board has one."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ChannelState:
    """The observed state of one lock channel; any part may be unknown."""

    lock: LockState = LockState.UNKNOWN
    door: DoorSensor = DoorSensor.UNKNOWN
    item: ItemSensor = ItemSensor.UNKNOWN


UNKNOWN_STATE = ChannelState()


@dataclass(frozen=True)
class Health:
    """Whether a device answers, and in words a technician understands why not."""

    ok: bool
    detail: str
    port: str | None = None


StateListener = Callable[[int, int, ChannelState], None]
"""Told (board, channel from 1, state now) of a change a board reported itself."""


class LockBus(ABC):
    """One bus (serial line or USB device) with one or more boards of one family.

    Channels are numbered from 1 within a board. Implementations send one request
    at a time on the bus and never energise a lock longer than the board's pulse.
    """

    channels: int | None = None
    """Channels per board, where the family or its settings fix them."""

    @property
    def senses_doors(self) -> bool:
        """Whether reads can show a door's state at all.

        False for relay modules without sensors: their channels always read
        unknown, so an unlock there can be sent but never confirmed.
        """
        return True

    def check_channel(self, board: int, channel: int) -> None:
        """Refuse, before anything is sent, a board and channel this bus lacks.

        Raises:
            ValueError: Saying which limit the board or channel breaks.
        """
        if self.channels and not 1 <= channel <= self.channels:
            raise ValueError(f"channel {channel} is not 1-{self.channels}")

    def listen(self, listener: StateListener | None) -> None:  # noqa: B027
        """Be told of door changes the boards report without being asked.

        Most boards speak only when asked, and their buses ignore this; a
        family whose boards report changes (WKLY) calls `listener` as each
        report arrives. None stops it.
        """

    @abstractmethod
    async def open(self) -> None:
        """Open the port. Raises `DeviceError` naming the port if it cannot."""

    @abstractmethod
    async def close(self) -> None:
        """Close the port; safe to call twice."""

    @abstractmethod
    async def unlock(self, board: int, channel: int) -> None:
        """Pulse one lock. Raises `DeviceError` if the command could not be sent.

        Success here means the frame went out; whether the door really unlocked is
        confirmed by reading the state back with `read_board`.
        """

    @abstractmethod
    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Read every channel of one board, channel 1 first.

        Raises `DeviceError` when the board does not answer with a valid frame.
        """

    @abstractmethod
    def health(self) -> Health:
        """The bus's last known health."""


ScanCallback = Callable[[bytes], None]
KeyCallback = Callable[[str], None]


class Scanner(ABC):
    """A barcode scanner that delivers each read whole, suffix removed."""

    @abstractmethod
    async def start(self, on_scan: ScanCallback) -> None:
        """Start reading; `on_scan` gets the raw bytes of each scan."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop reading and release the device; safe to call twice."""

    @abstractmethod
    def health(self) -> Health:
        """The scanner's last known health."""


class Keypad(ABC):
    """A keypad that delivers keys: the digits, `*`, `#`, `enter` and `backspace`."""

    @abstractmethod
    async def start(self, on_key: KeyCallback) -> None:
        """Start reading; `on_key` gets each key as it is pressed."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop reading and release the device; safe to call twice."""

    @abstractmethod
    def health(self) -> Health:
        """The keypad's last known health."""
