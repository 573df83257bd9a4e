"""A simulated bus of 24-channel "0x8A / 0x80" lock boards on a pty.

It acknowledges an unlock with ``8A b l 00 XOR`` (0x00 = open) as the source
describes, and answers ``80 b 00 33`` with the seven-byte status reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from drivers.checksums import xor8
from drivers.sim.lockers import SimBoard, SimLockBoards


class SimBoard8A80Bus(SimLockBoards):
    """Several simulated 24-channel boards on one line.

    Args:
        boards: The addresses present on the bus.
        locked_when_set: Polarity for every board, or a mapping per address.
        spring: Whether a released door springs open by itself.
    """

    def __init__(
        self,
        boards: Iterable[int] = (1,),
        *,
        locked_when_set: bool | Mapping[int, bool] = True,
        spring: bool = True,
    ) -> None:
        super().__init__(boards, 24, locked_when_set, spring)
        for board in self.boards.values():
            board.ack_unlock = True
        self._buffer = bytearray()

    def status_reply(self, address: int) -> bytes:
        """``80 b G3 G2 G1 33 XOR``."""
        bits = self.boards[address].lock_bits()
        body = bytes((0x80, address, bits >> 16 & 255, bits >> 8 & 255, bits & 255))
        body += b"\x33"
        return body + bytes((xor8(body),))

    def on_bytes(self, data: bytes) -> None:
        """Frame five-byte requests and act on each valid one."""
        self._buffer += data
        while len(self._buffer) >= 5:
            frame = bytes(self._buffer[:5])
            if frame[0] not in (0x80, 0x8A) or xor8(frame[:4]) != frame[4]:
                del self._buffer[0]
                continue
            del self._buffer[:5]
            if self.line is not None:
                self.line.record(frame)
            board = self.answering(frame[1])
            if board is None:
                continue
            if frame[0] == 0x80 and frame[2] == 0 and frame[3] == 0x33:
                self.answer(board, self.status_reply(board.address))
            elif frame[0] == 0x8A and frame[3] == 0x11:
                self._unlock(board, frame[2])

    def _unlock(self, board: SimBoard, lock: int) -> None:
        # Lock 0 ("open all in turn") is ignored: the driver never sends it.
        if lock and self.release(board, lock) and board.ack_unlock:
            ack = bytes((0x8A, board.address, lock, 0x00))
            self.answer(board, ack + bytes((xor8(ack),)))
