"""WKLY locker boards: ``57 4B 4C 59 LEN ADDR CMD DATA... XOR8``.

LEN is the whole frame's length, checksum included, and the XOR covers every
byte before it. 0x82 opens one lock, 0x84 reads every door (reply data:
status, count, one state byte per channel; 0 = open, 1 = closed, 0xFF =
failure). The board also sends 0x85 ``CH STATE`` unprompted when a door
changes, so replies and events share the line: every frame read is sorted,
events go to the bus's listener (see `LockBus.listen`), and the reply wanted
is returned. Between commands, reports are sorted out the moment they arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.base import (
    ChannelState,
    DeviceError,
    DoorSensor,
    LockState,
    StateListener,
)
from drivers.checksums import xor8
from drivers.framing import take_frame
from drivers.serial_bus import SerialLockBus

_log = logging.getLogger(__name__)

START = b"WKLY"
CMD_OPEN = 0x82
CMD_QUERY_ALL = 0x84
EVENT = 0x85

_STATES = {
    0x00: ChannelState(LockState.UNLOCKED, DoorSensor.OPEN),
    0x01: ChannelState(LockState.LOCKED, DoorSensor.CLOSED),
}


def frame(board: int, command: int, data: bytes = b"") -> bytes:
    """A whole frame with its length and XOR."""
    if not 0 <= board <= 31:
        raise ValueError(f"WKLY board address {board} is not 0-31")
    body = START + bytes((8 + len(data), board, command)) + data
    return body + bytes((xor8(body),))


def state_of(code: int) -> ChannelState:
    """A channel state from a lock-state byte; unknown for 0xFF and the rest."""
    return _STATES.get(code, ChannelState())


def _length(head: bytes) -> int | None:
    return head[4] if head[4] >= 8 else None


def is_valid(candidate: bytes) -> bool:
    """Whether the XOR of a frame of known length holds."""
    return xor8(candidate[:-1]) == candidate[-1]


def take(buffer: bytearray) -> bytes | None:
    """The next checked frame in `buffer`, or None while none is complete."""
    return take_frame(buffer, start=START, header=5, length=_length, valid=is_valid)


@dataclass
class QueryExtractor:
    """Finds one board's 0x84 reply, handing events on as they pass.

    Attributes:
        board: The board whose reply is wanted.
        on_event: Where 0x85 reports go.
        skipped: Notes on frames that were not the reply, for error messages.
    """

    board: int
    on_event: Callable[[bytes], None]
    skipped: list[str] = field(default_factory=list)

    def __call__(self, buffer: bytearray) -> bytes | None:
        """The reply's per-channel state bytes, or None while incomplete."""
        while True:
            found = take(buffer)
            if found is None:
                return None
            command, address = found[6], found[5]
            if command == EVENT:
                self.on_event(found)
            elif command == CMD_QUERY_ALL and address == self.board and len(found) > 9:
                if found[7] != 0x00:
                    raise DeviceError(f"WKLY board {self.board} reports a failure")
                states = found[9:-1]
                if len(states) == found[8]:
                    return states
                self.skipped.append(f"count mismatch {found.hex(' ')}")
            else:
                self.skipped.append(found.hex(" "))


class WklyBus(SerialLockBus[bytes]):
    """A bus of WKLY boards.

    Args:
        port: Device path.
        baudrate: Line speed (not captured in the sources; 9600 assumed).
        timeout: Seconds to wait for a reply.
        retries: Extra status reads after a missing or garbled reply.
        channel_base: The wire number of channel 1: 1 per the vendor's
            document, 0 per one sample program.
        unlock_guard: Seconds of quiet after an unlock, for its reply.
    """

    family = "WKLY"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        timeout: float = 0.5,
        retries: int = 2,
        channel_base: int = 1,
        unlock_guard: float = 0.1,
    ) -> None:
        super().__init__(
            port,
            baudrate=baudrate,
            timeout=timeout,
            retries=retries,
            unlock_guard=unlock_guard,
        )
        self.channel_base = channel_base
        self._listener: StateListener | None = None
        self._port.on_arrival = self._sort_arrivals

    def listen(self, listener: StateListener | None) -> None:
        """Have each unprompted door report passed to `listener` as it comes."""
        self._listener = listener

    def unlock_frame(self, board: int, channel: int) -> bytes:
        """``57 4B 4C 59 09 ADDR 82 CH XOR``."""
        wire = channel - 1 + self.channel_base
        if channel < 1 or wire > 0xFF:
            raise ValueError(f"WKLY channel {channel} is out of range")
        return frame(board, CMD_OPEN, bytes((wire,)))

    def status_frame(self, board: int) -> bytes:
        """``57 4B 4C 59 08 ADDR 84 XOR``."""
        return frame(board, CMD_QUERY_ALL)

    def extractor(self, board: int) -> QueryExtractor:
        """Finds this board's 0x84 reply and passes events on."""
        return QueryExtractor(board, self._event)

    def decode(self, board: int, reply: bytes) -> tuple[ChannelState, ...]:
        """One state per channel byte, channel 1 first."""
        return tuple(state_of(code) for code in reply)

    def _sort_arrivals(self) -> None:
        # While a command holds the bus its extractor sorts what comes;
        # between commands a report is handed on at once.
        if self._lock.locked():
            return
        while (found := self._port.extract(take)) is not None:
            if found[6] == EVENT:
                self._event(found)

    def discard_stale(self) -> None:
        """Sort events out of what arrived between commands; drop the rest."""
        buffer = bytearray(self._port.drain_input())
        while (found := take(buffer)) is not None:
            if found[6] == EVENT:
                self._event(found)

    def _event(self, found: bytes) -> None:
        if len(found) != 10 or self._listener is None:
            return
        channel = found[7] - self.channel_base + 1
        try:
            self._listener(found[5], channel, state_of(found[8]))
        except Exception:
            # The consumer's bug must not break the bus.
            _log.exception("WKLY event callback failed")
