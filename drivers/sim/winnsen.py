"""A simulated bus of Winnsen boards on a pty (no checksum on the wire)."""

from __future__ import annotations

from collections.abc import Iterable

from drivers.sim.lockers import SimLockBoards


class SimWinnsenBus(SimLockBoards):
    """Several simulated Winnsen boards, 16 locks each, by station byte.

    A garbled answer from this model breaks its trailer byte, the only check
    the protocol has.
    """

    def __init__(self, boards: Iterable[int] = (1,), *, spring: bool = True) -> None:
        super().__init__(boards, 16, True, spring)
        for board in self.boards.values():
            board.ack_unlock = True
        self._buffer = bytearray()

    def on_bytes(self, data: bytes) -> None:
        """Frame six-byte commands and act on each."""
        self._buffer += data
        while len(self._buffer) >= 6:
            frame = bytes(self._buffer[:6])
            if frame[:2] != b"\x90\x06" or frame[5] != 0x03:
                del self._buffer[0]
                continue
            del self._buffer[:6]
            if self.line is not None:
                self.line.record(frame)
            board = self.answering(frame[3])
            lock = frame[4]
            if board is None or not 1 <= lock <= len(board.channels):
                continue
            if frame[2] == 0x12:
                is_open = not board.channels[lock - 1].locked
                reply = bytes((0x90, 0x07, 0x92, board.address, is_open, lock, 0x03))
                self.answer(board, reply)
            elif frame[2] == 0x05:
                self.release(board, lock)
                if board.ack_unlock:
                    reply = bytes((0x90, 0x07, 0x85, board.address, lock, 1, 0x03))
                    self.answer(board, reply)
