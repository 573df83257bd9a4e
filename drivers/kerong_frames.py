"""Frames of the Kerong CU16 "legacy" protocol: ``STX ADDR CMD ETX SUM8``.

The ADDR byte carries the board (0-15) in its high nibble and the 0-based lock
in its low nibble. A status reply is nine bytes:
``02 ADDR 35 L1-8 L9-16 IR1-8 IR9-16 03 SUM``. Everything here is pure, so the
framing can be fed arbitrary bytes in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.base import DeviceError
from drivers.checksums import sum8
from drivers.framing import take_frame

STX = 0x02
ETX = 0x03
CMD_STATUS = 0x30
CMD_UNLOCK = 0x31
CMD_STATUS_ALL = 0x32
CMD_UNLOCK_ALL = 0x33
REPLY_STATUS = 0x35
BOARDS = range(16)
CHANNELS = range(1, 17)

# Length of every frame this protocol is known to carry, by its CMD byte.
_LENGTHS = {
    CMD_STATUS: 5,
    CMD_UNLOCK: 5,
    CMD_STATUS_ALL: 5,
    CMD_UNLOCK_ALL: 5,
    REPLY_STATUS: 9,
}


def is_valid(frame: bytes) -> bool:
    """Whether a frame of known length has its ETX and a matching Sum8."""
    return frame[-2] == ETX and sum8(frame[:-1]) == frame[-1]


def _check_board(board: int) -> None:
    if board not in BOARDS:
        raise ValueError(f"Kerong CU16 board address {board} is not 0-15")


def _frame(addr: int, cmd: int) -> bytes:
    head = bytes((STX, addr, cmd, ETX))
    return head + bytes((sum8(head),))


def unlock_frame(board: int, channel: int) -> bytes:
    """The frame that pulses one lock; `channel` counts from 1."""
    _check_board(board)
    if channel not in CHANNELS:
        raise ValueError(f"Kerong CU16 channel {channel} is not 1-16")
    return _frame(board << 4 | (channel - 1), CMD_UNLOCK)


def status_frame(board: int) -> bytes:
    """The frame that asks one board for its lock and sensor bits."""
    _check_board(board)
    return _frame(board << 4, CMD_STATUS)


@dataclass(frozen=True)
class StatusReply:
    """A checked status reply.

    Attributes:
        board: The board that answered.
        locks: 16 lock bits, bit 0 = channel 1, as sent (polarity not applied).
        sensors: 16 infrared item bits, bit 0 = channel 1.
    """

    board: int
    locks: int
    sensors: int


@dataclass
class ReplyExtractor:
    """Finds the status reply of one board in a receive buffer.

    Junk before a frame is skipped and frames this host sent (echoed back by an
    adapter that hears itself) are dropped. A frame that claims to be this
    board's reply but fails its checksum raises at once, so the caller can retry
    the status read instead of waiting for a timeout.

    Attributes:
        board: The board whose reply is wanted.
        skipped: Notes on what was dropped, for the error message.
    """

    board: int
    skipped: list[str] = field(default_factory=list)

    def __call__(self, buffer: bytearray) -> StatusReply | None:
        """Consume the buffer up to and including the reply; None if incomplete."""
        while True:
            before = len(buffer)
            frame = take_frame(
                buffer,
                start=bytes((STX,)),
                header=3,
                length=lambda head: _LENGTHS.get(head[2]),
                valid=is_valid,
                on_invalid=self._reject,
            )
            if frame is None:
                dropped = before - len(buffer)
                if dropped:
                    self.skipped.append(f"{dropped} junk bytes")
                return None
            if frame[2] != REPLY_STATUS:
                self.skipped.append(f"own frame {frame.hex(' ')}")
                continue
            if frame[1] >> 4 != self.board:
                self.skipped.append(f"reply from board {frame[1] >> 4}")
                continue
            return StatusReply(
                board=self.board,
                locks=frame[3] | frame[4] << 8,
                sensors=frame[5] | frame[6] << 8,
            )

    def _reject(self, frame: bytes) -> None:
        if self._claims_reply(frame):
            raise DeviceError(
                f"Kerong board {self.board} sent a reply with a bad "
                f"checksum: {frame.hex(' ')}"
            )

    def _claims_reply(self, frame: bytes) -> bool:
        return (
            len(frame) == 9
            and frame[1] == self.board << 4
            and frame[2] == REPLY_STATUS
            and frame[-2] == ETX
        )
