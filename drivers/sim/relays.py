"""Simulated serial relay modules on a pty: LCUS, KMtronic and Numato.

Each keeps its relays' states and a timed history of every switch, so a test
can check that a pulse was bounded and ended with the relay off.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from drivers.checksums import sum8
from drivers.sim.lockers import SimLockBoards
from drivers.sim.pty import PtyHost, SimulatedDevice


@dataclass(frozen=True)
class Switch:
    """One relay switching: when, which (from 1), and on or off."""

    at: float
    channel: int
    on: bool


class SimRelayModule(SimulatedDevice):
    """A relay module's outputs; subclasses parse their own command bytes.

    Args:
        channels: Relays fitted.
    """

    def __init__(self, channels: int = 8) -> None:
        self.relays = [False] * channels
        self.history: list[Switch] = []
        self.on_switch: Callable[[int, bool], None] | None = None
        """Called with (relay from 1, on) at every switch, as a lock's coil sees it."""
        self._buffer = bytearray()

    def energised(self) -> list[int]:
        """The relays that are on now, from 1."""
        return [i + 1 for i, on in enumerate(self.relays) if on]

    def _switch(self, channel: int, on: bool, frame: bytes) -> None:
        if self.line is not None:
            self.line.record(frame)
        if 1 <= channel <= len(self.relays):
            self.relays[channel - 1] = on
            self.history.append(Switch(time.monotonic(), channel, on))
            if self.on_switch is not None:
                self.on_switch(channel, on)

    def on_bytes(self, data: bytes) -> None:
        """Collect bytes and parse as many commands as are whole."""
        self._buffer += data
        while self._parse_one():
            pass

    @abstractmethod
    def _parse_one(self) -> bool:
        """Consume one command (or one junk byte); False when more is needed."""


class SimLcusRelay(SimRelayModule):
    """``A0 CH STATE SUM``; a frame with a bad sum is ignored."""

    def _parse_one(self) -> bool:
        if len(self._buffer) < 4:
            return False
        frame = bytes(self._buffer[:4])
        if frame[0] != 0xA0 or sum8(frame[:3]) != frame[3] or frame[2] > 1:
            del self._buffer[0]
            return True
        del self._buffer[:4]
        self._switch(frame[1], frame[2] == 1, frame)
        return True


class SimKmtronicRelay(SimRelayModule):
    """``FF NN 01`` / ``FF NN 00``."""

    def _parse_one(self) -> bool:
        if len(self._buffer) < 3:
            return False
        frame = bytes(self._buffer[:3])
        if frame[0] != 0xFF or frame[2] > 1:
            del self._buffer[0]
            return True
        del self._buffer[:3]
        self._switch(frame[1], frame[2] == 1, frame)
        return True


class SimNumatoRelay(SimRelayModule):
    """ASCII lines; echoes each command and answers with the ``\\n\\r>`` prompt."""

    def _parse_one(self) -> bool:
        end = self._buffer.find(b"\r")
        if end < 0:
            return False
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        words = line.strip().decode("ascii", "replace").split()
        if self.line is not None:
            self.line.send(line + b"\n\r>")
        if len(words) == 3 and words[0] == "relay" and words[1] in ("on", "off"):
            number = _numato_number(words[2])
            if number is not None:
                self._switch(number + 1, words[1] == "on", line)
        return True


def _numato_number(index: str) -> int | None:
    if index.isdecimal() and index.isascii():
        return int(index)
    if len(index) == 1 and "A" <= index <= "Z":
        return ord(index) - ord("A") + 10
    return None


class SimRelayDoors(SimLockBoards):
    """A relay module wired to door locks, as the simulated world needs it.

    A relay switched on releases its door's latch; nothing reports back, as no
    sensor is wired. The module answers the driver's bytes as it would alone.

    Args:
        module: The relay module on the line.
        address: The board address the configuration gives it.
    """

    def __init__(self, module: SimRelayModule, address: int = 0) -> None:
        super().__init__((address,), len(module.relays), True, True)
        self.module = module
        self._address = address
        module.on_switch = self._switched

    @property
    def history(self) -> list[Switch]:
        """Every switch of the module's relays."""
        return self.module.history

    def attach(self, line: PtyHost) -> None:
        """Bind both the doors and the module to the line."""
        super().attach(line)
        self.module.attach(line)

    def on_bytes(self, data: bytes) -> None:
        """The module takes the bytes; its switching moves the latches."""
        self.module.on_bytes(data)

    def _switched(self, channel: int, on: bool) -> None:
        if on:
            self.release(self.boards[self._address], channel)
