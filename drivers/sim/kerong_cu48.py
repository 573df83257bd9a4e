"""A simulated bus of Kerong CU48 boards (6-byte protocol) on a pty.

Answers 0x60 with the 18-byte 0x75 reply and opens a lock on 0x61, sending the
6-byte ``02 DEV LOCK 75 00 SUM`` acknowledgement only if the board's
`ack_unlock` is set, since whether real boards send it is uncertain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from drivers.checksums import sum8
from drivers.sim.lockers import SimLockBoards

_LEN = 6


class SimKerongCU48Bus(SimLockBoards):
    """Several simulated CU48 boards (48 channels each) on one line.

    Args:
        boards: The addresses present on the bus.
        locked_when_set: Polarity for every board, or a mapping per address.
        spring: Whether a released door springs open by itself.
    """

    def __init__(
        self,
        boards: Iterable[int] = (0,),
        *,
        locked_when_set: bool | Mapping[int, bool] = True,
        spring: bool = True,
    ) -> None:
        super().__init__(boards, 48, locked_when_set, spring)
        self._buffer = bytearray()

    def status_reply(self, address: int) -> bytes:
        """The 18-byte reply of board `address`."""
        board = self.boards[address]
        data = board.lock_bits().to_bytes(6, "little") + bytes(6)
        body = bytes((0x02, address, 0x00, 0x75)) + data + b"\x03"
        return body + bytes((sum8(body),))

    def on_bytes(self, data: bytes) -> None:
        """Frame six-byte requests and act on each valid one."""
        self._buffer += data
        while len(self._buffer) >= _LEN:
            frame = bytes(self._buffer[:_LEN])
            if frame[0] != 0x02 or frame[4] != 0x03 or sum8(frame[:5]) != frame[5]:
                del self._buffer[0]
                continue
            del self._buffer[:_LEN]
            if self.line is not None:
                self.line.record(frame)
            board = self.answering(frame[1])
            if board is None:
                continue
            if frame[3] == 0x60:
                self.answer(board, self.status_reply(board.address))
            elif (
                frame[3] == 0x61
                and self.release(board, frame[2] + 1)
                and board.ack_unlock
            ):
                ack = bytes((0x02, board.address, frame[2], 0x75, 0x00))
                self.answer(board, ack + bytes((sum8(ack),)))
