"""A simulated Modbus RTU relay board (or several) on a pty.

Coils are relays; while a coil is on the lock it drives is released and the
door springs open. Discrete inputs are door sensors (1 = closed, or 1 = open
on a board whose `locked_when_set` is false). The model
frames RTU requests with its own CRC code, independent of the Modbus library
the driver uses, and answers function codes 01, 02, 05 and 0F; any other
function gets the "illegal function" exception, and an unknown device id
gets silence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from drivers.checksums import crc16_modbus
from drivers.sim.lockers import SimLockBoards
from drivers.sim.relays import Switch


def _with_crc(body: bytes) -> bytes:
    return body + crc16_modbus(body).to_bytes(2, "little")


def _pack_bits(bits: list[bool]) -> bytes:
    data = bytearray((len(bits) + 7) // 8)
    for index, bit in enumerate(bits):
        if bit:
            data[index // 8] |= 1 << index % 8
    return bytes(data)


class SimModbusRelayBoards(SimLockBoards):
    """Modbus relay boards by device id, with door sensors on their inputs.

    Args:
        units: The device ids present.
        channels: Relays per board.
    """

    def __init__(self, units: Iterable[int] = (1,), *, channels: int = 8) -> None:
        super().__init__(units, channels, True, True)
        self.coils = {unit: [False] * channels for unit in self.boards}
        self.history: list[Switch] = []
        self._buffer = bytearray()

    def energised(self) -> list[tuple[int, int]]:
        """(unit, relay from 1) for every coil that is on now."""
        return [
            (unit, index + 1)
            for unit, coils in self.coils.items()
            for index, on in enumerate(coils)
            if on
        ]

    def _length(self) -> int | None:
        if len(self._buffer) < 2:
            return None
        function = self._buffer[1]
        if function in (0x01, 0x02, 0x05):
            return 8
        if function == 0x0F:
            return 9 + self._buffer[6] if len(self._buffer) >= 7 else None
        return 4

    def on_bytes(self, data: bytes) -> None:
        """Frame RTU requests by function code and CRC."""
        self._buffer += data
        while (size := self._length()) is not None and len(self._buffer) >= size:
            frame = bytes(self._buffer[:size])
            if crc16_modbus(frame[:-2]) != int.from_bytes(frame[-2:], "little"):
                del self._buffer[0]
                continue
            del self._buffer[:size]
            if self.line is not None:
                self.line.record(frame)
            self._handle(frame)

    def _handle(self, frame: bytes) -> None:
        board = self.answering(frame[0])
        if board is None:
            return
        function = frame[1]
        start = int.from_bytes(frame[2:4], "big")
        coils = self.coils[board.address]
        if function == 0x05:
            value = int.from_bytes(frame[4:6], "big")
            if not self._set(board.address, start, value == 0xFF00):
                return self._exception(board.address, function, 0x02)
            return self.answer(board, frame)
        count = int.from_bytes(frame[4:6], "big")
        if start + count > len(coils) or count == 0:
            return self._exception(board.address, function, 0x02)
        if function == 0x0F:
            packed = frame[7:-2]
            for index in range(count):
                self._set(
                    board.address,
                    start + index,
                    bool(packed[index // 8] >> index % 8 & 1),
                )
            return self.answer(board, _with_crc(frame[:6]))
        if function == 0x01:
            bits = coils[start : start + count]
        elif function == 0x02:
            # A set input means "shut" on a board of the usual polarity.
            bits = [
                (not ch.door_open) == board.locked_when_set
                for ch in board.channels[start : start + count]
            ]
        else:
            return self._exception(board.address, function, 0x01)
        packed = _pack_bits(bits)
        body = bytes((board.address, function, len(packed))) + packed
        self.answer(board, _with_crc(body))

    def _set(self, unit: int, address: int, on: bool) -> bool:
        coils = self.coils[unit]
        if not 0 <= address < len(coils):
            return False
        if coils[address] != on:
            coils[address] = on
            self.history.append(Switch(time.monotonic(), address + 1, on))
            if on:
                self.release(self.boards[unit], address + 1)
        return True

    def _exception(self, unit: int, function: int, code: int) -> None:
        board = self.boards[unit]
        self.answer(board, _with_crc(bytes((unit, function | 0x80, code))))
