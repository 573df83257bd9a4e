"""Kerong CU48-class boards: the 6-byte ``02 DEV LOCK CMD 03 SUM`` protocol.

A request carries the board address, a 0-based lock index (0-47) and a
command: 0x60 reads every lock, 0x61 opens one. The status reply is eighteen
bytes, ``02 DEV 00 75 <12 data bytes> 03 SUM``; data bytes 0-5 are the 48 lock
bits, LSB first, and in the published capture a set bit means closed. What
data bytes 6-11 mean is not known, so item state is reported as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from drivers.base import ChannelState, DeviceError
from drivers.checksums import sum8
from drivers.framing import take_frame
from drivers.serial_bus import SerialLockBus, states_from_bits

CMD_STATUS = 0x60
CMD_OPEN = 0x61
REPLY = 0x75
CHANNELS = 48
_REPLY_LEN = 18
_REQUEST_LEN = 6


def _request(board: int, lock: int, command: int) -> bytes:
    if not 0 <= board <= 0xFF:
        raise ValueError(f"Kerong CU48 board address {board} is not 0-255")
    head = bytes((0x02, board, lock, command, 0x03))
    return head + bytes((sum8(head),))


def open_frame(board: int, channel: int) -> bytes:
    """The frame that opens one lock; `channel` counts from 1."""
    if not 1 <= channel <= CHANNELS:
        raise ValueError(f"Kerong CU48 channel {channel} is not 1-{CHANNELS}")
    return _request(board, channel - 1, CMD_OPEN)


def status_frame(board: int) -> bytes:
    """The frame that reads all 48 locks of one board."""
    return _request(board, 0, CMD_STATUS)


def _length(head: bytes) -> int | None:
    if head[3] == REPLY:
        return _REPLY_LEN
    if head[3] in (CMD_STATUS, CMD_OPEN):
        return _REQUEST_LEN
    return None


def is_valid(frame: bytes) -> bool:
    """ETX in its place and the Sum8 of everything before the checksum."""
    return frame[-2] == 0x03 and sum8(frame[:-1]) == frame[-1]


@dataclass
class Cu48Extractor:
    """Finds one board's 18-byte status reply; skips echoes and other boards."""

    board: int
    skipped: list[str] = field(default_factory=list)

    def __call__(self, buffer: bytearray) -> int | None:
        """The 48 lock bits as an int, or None while incomplete."""
        while True:
            frame = take_frame(
                buffer,
                start=b"\x02",
                header=4,
                length=_length,
                valid=is_valid,
                on_invalid=self._reject,
            )
            if frame is None:
                return None
            if frame[3] != REPLY or frame[1] != self.board:
                self.skipped.append(frame.hex(" "))
                continue
            return int.from_bytes(frame[4:10], "little")

    def _reject(self, frame: bytes) -> None:
        if sum8(frame[:5]) == frame[5]:
            # A late 6-byte unlock acknowledgement, not a broken status reply.
            self.skipped.append(f"ack {frame[:6].hex(' ')}")
            return
        if len(frame) == _REPLY_LEN and frame[1] == self.board and frame[3] == REPLY:
            raise DeviceError(
                f"Kerong CU48 board {self.board} sent a bad reply: {frame.hex(' ')}"
            )


class KerongCU48Bus(SerialLockBus[int]):
    """A bus of Kerong CU48 boards behind one serial port.

    Args:
        port: Device path.
        baudrate: Line speed.
        timeout: Seconds to wait for a status reply.
        retries: Extra status reads after a missing or garbled reply.
        locked_when_set: Whether a set lock bit means locked (the capture
            says so); per-board overrides in `board_polarity`.
        board_polarity: Per-board overrides of `locked_when_set`.
        unlock_guard: Seconds of quiet after an unlock, for its 6-byte ack.
    """

    family = "Kerong CU48"
    channels = CHANNELS

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 19200,
        timeout: float = 0.3,
        retries: int = 2,
        locked_when_set: bool = True,
        board_polarity: Mapping[int, bool] | None = None,
        unlock_guard: float = 0.05,
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
        """``02 DEV (channel-1) 61 03 SUM``."""
        return open_frame(board, channel)

    def status_frame(self, board: int) -> bytes:
        """``02 DEV 00 60 03 SUM``."""
        return status_frame(board)

    def extractor(self, board: int) -> Cu48Extractor:
        """Finds this board's 18-byte reply."""
        return Cu48Extractor(board)

    def decode(self, board: int, reply: int) -> tuple[ChannelState, ...]:
        """48 channel states; the unknown sensor bytes are not used."""
        polarity = self.board_polarity.get(board, self.locked_when_set)
        return states_from_bits(reply, CHANNELS, polarity)
