"""A simulated bus of Kerong CU16 boards, answering byte for byte on a pty.

An unlock frame releases the latch and the door springs open; a status frame
is answered with the nine-byte reply a real board sends; a frame for an absent
board, or one with a bad checksum, is not answered at all. The board sends
nothing back for an unlock unless `SimBoard.ack_unlock` is set, as some
firmware reportedly does.

This model frames bytes with its own small code rather than the driver's, so a
test of the driver against it checks two readings of the protocol, not one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from drivers.checksums import sum8
from drivers.sim.lockers import Fault, SimBoard, SimChannel, SimLockBoards

__all__ = ["Fault", "SimBoard", "SimChannel", "SimKerongBus"]

_FRAME_LEN = 5


class SimKerongBus(SimLockBoards):
    """Several simulated CU16 boards (16 channels each) sharing one line.

    Args:
        boards: The addresses present on the bus, 0-15.
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
        super().__init__(boards, 16, locked_when_set, spring)
        self._buffer = bytearray()

    def status_reply(self, address: int) -> bytes:
        """The nine-byte reply board `address` gives to a status frame."""
        board = self.boards[address]
        locks = board.lock_bits()
        items = board.bits(lambda ch: ch.item)
        body = bytes(
            (2, address << 4, 0x35, locks & 255, locks >> 8, items & 255, items >> 8, 3)
        )
        return body + bytes((sum8(body),))

    def on_bytes(self, data: bytes) -> None:
        """Frame what the host sent and act on each valid frame."""
        self._buffer += data
        while len(self._buffer) >= _FRAME_LEN:
            if self._buffer[0] != 0x02:
                del self._buffer[0]
                continue
            frame = bytes(self._buffer[:_FRAME_LEN])
            if frame[3] != 0x03 or sum8(frame[:4]) != frame[4]:
                # A real board ignores what it cannot read; resync on the next STX.
                del self._buffer[0]
                continue
            del self._buffer[:_FRAME_LEN]
            if self.line is not None:
                self.line.record(frame)
            self._handle(frame[1] >> 4, frame[1] & 0x0F, frame[2])

    def _handle(self, address: int, lock: int, command: int) -> None:
        board = self.answering(address)
        if board is None:
            return
        if command == 0x31:
            self.release(board, lock + 1)
            if board.ack_unlock:
                self.answer(board, self.status_reply(address))
        elif command == 0x30:
            self.answer(board, self.status_reply(address))
        # 0x32 status-all, 0x33 unlock-all and 0x37 pulse time get silence: the
        # driver never sends them.
