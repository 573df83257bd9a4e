"""Winnsen smart-locker boards: header 0x90, fixed trailer 0x03, no checksum.

Commands are six bytes ``90 06 FN STATION LOCK 03`` (FN 0x05 unlock, 0x12
status of one lock); replies are seven bytes. The status reply is
``90 07 92 STATION STATUS LOCK 03`` with STATUS and LOCK swapped relative to
the unlock reply ``90 07 85 STATION LOCK STATUS 03``. STATUS 1 means open.

With no checksum, a reply is only accepted when its header, length, function,
trailer, station and lock all match the request. The board is read one lock at
a time, so a full read costs one exchange per channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.base import ChannelState, DoorSensor, LockState
from drivers.framing import take_frame
from drivers.serial_bus import SerialLockBus

CHANNELS = 16
FN_UNLOCK = 0x05
FN_STATUS = 0x12
REPLY_UNLOCK = 0x85
REPLY_STATUS = 0x92


def _command(function: int, station: int, lock: int) -> bytes:
    if not 0 <= station <= 0xFF:
        raise ValueError(f"Winnsen station {station} is not 0-255")
    if not 1 <= lock <= CHANNELS:
        raise ValueError(f"Winnsen lock {lock} is not 1-{CHANNELS}")
    return bytes((0x90, 0x06, function, station, lock, 0x03))


def unlock_frame(station: int, lock: int) -> bytes:
    """``90 06 05 STATION LOCK 03``."""
    return _command(FN_UNLOCK, station, lock)


def status_frame(station: int, lock: int) -> bytes:
    """``90 06 12 STATION LOCK 03``."""
    return _command(FN_STATUS, station, lock)


def _length(head: bytes) -> int | None:
    return head[1] if head[1] in (6, 7) else None


def is_well_formed(frame: bytes) -> bool:
    """Header, length, a known function and the trailer all in place."""
    functions = (FN_UNLOCK, FN_STATUS) if len(frame) == 6 else (0x85, 0x92)
    return frame[-1] == 0x03 and frame[2] in functions


@dataclass
class StatusExtractor:
    """Finds the status reply for one station and lock."""

    station: int
    lock: int
    skipped: list[str] = field(default_factory=list)

    def __call__(self, buffer: bytearray) -> int | None:
        """The reply's STATUS byte, or None while incomplete."""
        while True:
            frame = take_frame(
                buffer, start=b"\x90", header=2, length=_length, valid=is_well_formed
            )
            if frame is None:
                return None
            if self._wanted(frame):
                return frame[4]
            self.skipped.append(frame.hex(" "))

    def _wanted(self, frame: bytes) -> bool:
        return (
            len(frame) == 7
            and frame[2] == REPLY_STATUS
            and frame[3] == self.station
            and frame[5] == self.lock
        )


_OPEN = ChannelState(LockState.UNLOCKED, DoorSensor.OPEN)
_CLOSED = ChannelState(LockState.LOCKED, DoorSensor.CLOSED)


class WinnsenBus(SerialLockBus[int]):
    """A bus of Winnsen boards; the board number is the station byte.

    Args:
        port: Device path.
        baudrate: Line speed (9600 in the known source).
        timeout: Seconds to wait for each lock's reply.
        retries: Extra status reads after a missing reply.
        channels: Locks read per board.
        unlock_guard: Seconds of quiet after an unlock, for its reply.
    """

    family = "Winnsen"
    channels: int

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        timeout: float = 0.5,
        retries: int = 1,
        channels: int = CHANNELS,
        unlock_guard: float = 0.1,
    ) -> None:
        super().__init__(
            port,
            baudrate=baudrate,
            timeout=timeout,
            retries=retries,
            unlock_guard=unlock_guard,
        )
        self.channels = channels

    def unlock_frame(self, board: int, channel: int) -> bytes:
        """See `unlock_frame`."""
        return unlock_frame(board, channel)

    def status_frame(self, board: int) -> bytes:
        """The status frame of the board's first lock."""
        return status_frame(board, 1)

    def extractor(self, board: int) -> StatusExtractor:
        """Finds the first lock's reply."""
        return StatusExtractor(board, 1)

    def decode(self, board: int, reply: int) -> tuple[ChannelState, ...]:
        """One lock's state from its STATUS byte."""
        if reply == 0x01:
            return (_OPEN,)
        if reply == 0x00:
            return (_CLOSED,)
        return (ChannelState(),)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Read each lock in turn; the first lock that does not answer fails it."""
        states: list[ChannelState] = []
        async with self._lock:
            for lock in range(1, self.channels + 1):
                status = await self.exchange(
                    board, status_frame(board, lock), StatusExtractor(board, lock)
                )
                states += self.decode(board, status)
        return tuple(states)
