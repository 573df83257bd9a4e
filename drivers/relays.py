"""Serial relay modules used as lock drivers: LCUS, KMtronic and Numato.

A relay module has outputs but no inputs: an unlock switches one relay on for
a bounded pulse and off again, and the state of a door cannot be read through
it (`read_board` reports every channel as unknown). Three rules keep a lock
from being left energised:

* the "off" frame is written synchronously in a ``finally``, so it goes out
  even when the unlocking task is cancelled mid-pulse;
* the pulse is capped by `max_pulse`, whatever the configuration says;
* opening the port switches every relay off, so nothing is energised while
  the terminal starts, even after a crash mid-pulse.

One module per port: the board address must be 0.
"""

from __future__ import annotations

import asyncio
import logging
from abc import abstractmethod

from drivers.base import ChannelState, DeviceError, Health, LockBus
from drivers.checksums import sum8
from drivers.serialport import SerialPort

_log = logging.getLogger(__name__)


class SerialRelayModule(LockBus):
    """The common pulse discipline of serial relay modules.

    Args:
        port: Device path.
        baudrate: Line speed.
        channels: Relays fitted.
        pulse: Seconds a relay stays on for an unlock.
        max_pulse: Upper bound on `pulse`, a guard against a bad setting.
    """

    family = "relay module"
    channels: int

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        channels: int = 8,
        pulse: float = 0.5,
        max_pulse: float = 3.0,
    ) -> None:
        self._port = SerialPort(port, baudrate=baudrate)
        self.channels = channels
        self.pulse = min(pulse, max_pulse)
        self._lock = asyncio.Lock()
        self._health = Health(False, f"{port} not opened yet", port)

    @abstractmethod
    def on_frame(self, channel: int) -> bytes:
        """The bytes that switch relay `channel` (from 1) on."""

    @abstractmethod
    def off_frame(self, channel: int) -> bytes:
        """The bytes that switch relay `channel` (from 1) off."""

    @property
    def port(self) -> str:
        """The module's device path."""
        return self._port.port

    @property
    def baudrate(self) -> int:
        """The configured line speed."""
        return self._port.baudrate

    @property
    def senses_doors(self) -> bool:
        """A relay module has outputs only."""
        return False

    def check_channel(self, board: int, channel: int) -> None:
        """One module per port, at board 0, with its relays from 1."""
        if board != 0:
            raise ValueError(f"{self.family}: one module per port, board must be 0")
        if not 1 <= channel <= self.channels:
            raise ValueError(f"{self.family} relay {channel} is not 1-{self.channels}")

    async def open(self) -> None:
        """Open the port and switch every relay off."""
        try:
            await self._port.open()
            for channel in range(1, self.channels + 1):
                self._port.write_now(self.off_frame(channel))
        except DeviceError as exc:
            self._health = Health(False, str(exc), self.port)
            raise
        self._health = Health(True, f"{self.family} on {self.port} ready", self.port)

    async def close(self) -> None:
        """Close the port; safe to call twice."""
        await self._port.close()

    def health(self) -> Health:
        """Whether the last command went out, or the loss of the port once noticed."""
        lost = self._port.error
        if lost is not None:
            return Health(False, str(lost), self.port)
        return self._health

    async def unlock(self, board: int, channel: int) -> None:
        """Switch one relay on for the pulse, then off, whatever happens."""
        self.check_channel(board, channel)
        async with self._lock:
            try:
                if not self._port.is_open:
                    await self.open()
                self._port.flush_input()
                self._port.write_now(self.on_frame(channel))
            except DeviceError as exc:
                self._health = Health(False, str(exc), self.port)
                raise
            try:
                await asyncio.sleep(self.pulse)
            finally:
                self._switch_off(channel)

    def _switch_off(self, channel: int) -> None:
        try:
            self._port.write_now(self.off_frame(channel))
        except DeviceError as exc:
            # The port is gone, and with it (on USB modules) the relay's power.
            _log.error("could not switch relay %d off: %s", channel, exc)
            self._health = Health(False, str(exc), self.port)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Every channel unknown: a relay module cannot see the doors.

        Raises:
            DeviceError: The port is not open and cannot be opened.
        """
        self.check_channel(board, 1)
        if not self._port.is_open:
            await self.open()
        return tuple(ChannelState() for _ in range(self.channels))


class LcusRelayModule(SerialRelayModule):
    """LC Technology LCUS-1/2/4/8 (CH340): ``A0 CH STATE SUM8``, no reply."""

    family = "LCUS relay"

    def on_frame(self, channel: int) -> bytes:
        """``A0 CH 01 SUM``."""
        return _lcus(channel, 1)

    def off_frame(self, channel: int) -> bytes:
        """``A0 CH 00 SUM``."""
        return _lcus(channel, 0)


def _lcus(channel: int, state: int) -> bytes:
    head = bytes((0xA0, channel, state))
    return head + bytes((sum8(head),))


class KmtronicRelayModule(SerialRelayModule):
    """KMtronic USB/RS-485 relays: ``FF NN 01`` on, ``FF NN 00`` off."""

    family = "KMtronic relay"

    def on_frame(self, channel: int) -> bytes:
        """``FF NN 01``."""
        return bytes((0xFF, channel, 0x01))

    def off_frame(self, channel: int) -> bytes:
        """``FF NN 00``."""
        return bytes((0xFF, channel, 0x00))


def numato_index(channel: int) -> str:
    """Numato's relay index: digits up to 9, then letters from A (not hex)."""
    index = channel - 1
    return str(index) if index < 10 else chr(ord("A") + index - 10)


class NumatoRelayModule(SerialRelayModule):
    """Numato Lab USB relays (CDC-ACM, ASCII): ``relay on N`` and ``relay off N``.

    Relay numbers on the wire start at 0, so channel 1 is ``relay on 0``. The
    module echoes each command and a prompt; those bytes are dropped.
    """

    family = "Numato relay"

    def on_frame(self, channel: int) -> bytes:
        """``relay on N\\r``."""
        return f"relay on {numato_index(channel)}\r".encode()

    def off_frame(self, channel: int) -> bytes:
        """``relay off N\\r``."""
        return f"relay off {numato_index(channel)}\r".encode()
