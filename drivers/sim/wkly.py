"""A simulated bus of WKLY boards on a pty, with unprompted door reports.

When a person opens or closes a door, the board sends ``85 CH STATE`` at once,
whatever the host is doing, which is what makes the driver sort events from
replies.
"""

from __future__ import annotations

from collections.abc import Iterable

from drivers.checksums import xor8
from drivers.sim.lockers import SimBoard, SimLockBoards

_START = b"WKLY"


def _frame(board: int, command: int, data: bytes) -> bytes:
    body = _START + bytes((8 + len(data), board, command)) + data
    return body + bytes((xor8(body),))


class SimWklyBus(SimLockBoards):
    """Several simulated WKLY boards on one line.

    Args:
        boards: The addresses present (0-31).
        channels: Locks per board.
        channel_base: The wire number of channel 1.
        reports: Whether boards report door changes unprompted.
    """

    def __init__(
        self,
        boards: Iterable[int] = (0,),
        *,
        channels: int = 24,
        channel_base: int = 1,
        reports: bool = True,
    ) -> None:
        super().__init__(boards, channels, True, True)
        self.channel_base = channel_base
        self.reports = reports
        for board in self.boards.values():
            board.ack_unlock = True
        self.listeners.append(self._report)
        self._buffer = bytearray()

    def _code(self, board: SimBoard, channel: int) -> int:
        return 0x01 if board.channels[channel - 1].locked else 0x00

    def _report(self, address: int, channel: int) -> None:
        board = self.answering(address)
        if not self.reports or board is None or self.line is None:
            return
        wire = channel - 1 + self.channel_base
        self.line.send(_frame(address, 0x85, bytes((wire, self._code(board, channel)))))

    def status_reply(self, address: int) -> bytes:
        """The 0x84 reply: status OK, count, one state byte per channel."""
        board = self.boards[address]
        codes = bytes(self._code(board, ch) for ch in range(1, len(board.channels) + 1))
        return _frame(address, 0x84, bytes((0x00, len(codes))) + codes)

    def on_bytes(self, data: bytes) -> None:
        """Frame requests by their LEN byte and act on each valid one."""
        self._buffer += data
        while len(self._buffer) >= 8:
            if self._buffer[:4] != _START or self._buffer[4] < 8:
                del self._buffer[0]
                continue
            size = self._buffer[4]
            if len(self._buffer) < size:
                return
            frame = bytes(self._buffer[:size])
            if xor8(frame[:-1]) != frame[-1]:
                del self._buffer[0]
                continue
            del self._buffer[:size]
            if self.line is not None:
                self.line.record(frame)
            self._handle(frame)

    def _handle(self, frame: bytes) -> None:
        board = self.answering(frame[5])
        if board is None:
            return
        if frame[6] == 0x84:
            self.answer(board, self.status_reply(board.address))
        elif frame[6] == 0x82 and len(frame) == 9:
            channel = frame[7] - self.channel_base + 1
            # The reply goes first; the door's own report follows it.
            if 1 <= channel <= len(board.channels) and board.ack_unlock:
                reply = bytes((0x00, frame[7], 0x00))
                self.answer(board, _frame(board.address, 0x82, reply))
            self.release(board, channel)
        # Group opens (0x80/0x86/0x87) and hold/off (0x88/0x89) are not modelled:
        # the driver never sends them.
