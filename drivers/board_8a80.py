"""Generic 24-channel cabinet lock boards with the "0x8A / 0x80" XOR protocol.

Five-byte requests ``HDR BOARD LOCK FN XOR8``: ``8A b l 11`` opens lock l (1-24;
0 would open all in turn, which this driver never sends); ``80 b 00 33`` reads
every lock, answered by seven bytes ``80 b G3 G2 G1 33 XOR8`` where G1 holds
doors 1-8. A set bit means closed (locked) by default; it is a setting.
The board acknowledges an unlock, but the driver does not wait for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from drivers.base import ChannelState, DeviceError
from drivers.checksums import xor8
from drivers.framing import take_frame
from drivers.serial_bus import SerialLockBus, states_from_bits

CHANNELS = 24
_QUERY = 0x80
_UNLOCK = 0x8A


def _request(header: int, board: int, lock: int, function: int) -> bytes:
    if not 0 <= board <= 0xFF:
        raise ValueError(f"board address {board} is not 0-255")
    head = bytes((header, board, lock, function))
    return head + bytes((xor8(head),))


def unlock_frame(board: int, channel: int) -> bytes:
    """``8A BOARD LOCK 11 XOR``; `channel` counts from 1."""
    if not 1 <= channel <= CHANNELS:
        raise ValueError(f"8A/80 board channel {channel} is not 1-{CHANNELS}")
    return _request(_UNLOCK, board, channel, 0x11)


def status_frame(board: int) -> bytes:
    """``80 BOARD 00 33 XOR``: read every lock of one board."""
    return _request(_QUERY, board, 0, 0x33)


def is_status_reply(frame: bytes) -> bool:
    """A seven-byte ``80 b G3 G2 G1 33 XOR`` whose XOR holds."""
    return len(frame) == 7 and frame[5] == 0x33 and xor8(frame[:6]) == frame[6]


@dataclass
class StatusExtractor:
    """Finds one board's seven-byte status reply."""

    board: int
    skipped: list[str] = field(default_factory=list)

    def __call__(self, buffer: bytearray) -> int | None:
        """The 24 lock bits (door 1 = bit 0), or None while incomplete."""
        while True:
            frame = take_frame(
                buffer,
                start=bytes((_QUERY,)),
                header=1,
                length=lambda head: 7,
                valid=is_status_reply,
                on_invalid=self._reject,
            )
            if frame is None:
                return None
            if frame[1] != self.board:
                self.skipped.append(f"reply from board {frame[1]}")
                continue
            return frame[4] | frame[3] << 8 | frame[2] << 16

    def _reject(self, frame: bytes) -> None:
        if frame[1] == self.board and frame[5] == 0x33:
            raise DeviceError(
                f"8A/80 board {self.board} sent a reply with a bad XOR: "
                f"{frame.hex(' ')}"
            )


class Board8A80Bus(SerialLockBus[int]):
    """A bus of 24-channel "0x8A / 0x80" boards.

    Args:
        port: Device path.
        baudrate: Line speed (9600 in the known source).
        timeout: Seconds to wait for a status reply.
        retries: Extra status reads after a missing or garbled reply.
        locked_when_set: Whether a set bit means closed and locked.
        board_polarity: Per-board overrides of `locked_when_set`.
        unlock_guard: Seconds of quiet after an unlock, for its reply.
    """

    family = "8A/80 board"
    channels = CHANNELS

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        timeout: float = 0.75,
        retries: int = 2,
        locked_when_set: bool = True,
        board_polarity: Mapping[int, bool] | None = None,
        unlock_guard: float = 0.1,
    ) -> None:
        super().__init__(
            port,
            baudrate=baudrate,
            timeout=timeout,
            retries=retries,
            unlock_guard=unlock_guard,
        )
        self.locked_when_set = locked_when_set
        self.board_polarity = dict(board_polarity or {})

    def unlock_frame(self, board: int, channel: int) -> bytes:
        """See `unlock_frame`."""
        return unlock_frame(board, channel)

    def status_frame(self, board: int) -> bytes:
        """See `status_frame`."""
        return status_frame(board)

    def extractor(self, board: int) -> StatusExtractor:
        """Finds this board's seven-byte reply."""
        return StatusExtractor(board)

    def decode(self, board: int, reply: int) -> tuple[ChannelState, ...]:
        """24 channel states from the lock bits."""
        polarity = self.board_polarity.get(board, self.locked_when_set)
        return states_from_bits(reply, CHANNELS, polarity)
