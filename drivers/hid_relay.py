"""dcttech "USBRelay" HID relay modules (V-USB, 16c0:05df), through pyusb.

The module has no serial number; its 5-character ID and the relay states are
in its HID feature report (ID bytes 0-4, state bitmask byte 7). A relay is
switched with an 8-byte SET_REPORT: ``FF n`` (on) or ``FD n`` (off). The
relay count is the digit in the product string ``USBRelayN``.

pyusb's calls block, but each control transfer is a few milliseconds with a
short timeout, so they run on the event loop rather than in a thread; the
"off" transfer is synchronous in a ``finally`` and so survives cancellation.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from typing import Any

import usb.core
import usb.util

from drivers.base import ChannelState, DeviceError, Health, LockBus

_log = logging.getLogger(__name__)

VID = 0x16C0
PID = 0x05DF
_SET_REPORT = (0x21, 0x09)
_GET_REPORT = (0xA1, 0x01)
# Switching by feature SET_REPORT, as the public 16c0:05df tools do; an output
# report is untried on hardware.
_FEATURE_REPORT = 0x0300
_ON, _OFF = 0xFF, 0xFD


def command(on: bool, relay: int) -> bytes:
    """The 8-byte report that switches relay `relay` (from 1)."""
    return bytes((_ON if on else _OFF, relay)) + bytes(6)


class DcttechHidRelay(LockBus):
    """One dcttech USB HID relay module.

    Args:
        port: The module's 5-character ID, or empty for the only module
            plugged in.
        channels: Relays fitted; read from the product string if None.
        pulse: Seconds a relay stays on for an unlock.
        max_pulse: Upper bound on `pulse`.
        backend: A pyusb backend; None lets pyusb pick libusb.
        timeout_ms: Timeout of each control transfer.
    """

    family = "dcttech HID relay"
    channels: int

    def __init__(
        self,
        port: str = "",
        *,
        channels: int | None = None,
        pulse: float = 0.5,
        max_pulse: float = 3.0,
        backend: Any = None,
        timeout_ms: int = 200,
    ) -> None:
        self.module_id = port.strip()
        self.channels = channels or 0
        self.pulse = min(pulse, max_pulse)
        self.backend = backend
        self.timeout_ms = timeout_ms
        self._device: Any = None
        self._lock = asyncio.Lock()
        self._health = Health(False, f"{self._name()} not opened yet", self._name())

    @property
    def senses_doors(self) -> bool:
        """A relay module has outputs only."""
        return False

    def _name(self) -> str:
        ident = f" {self.module_id}" if self.module_id else ""
        return f"USB relay{ident} ({VID:04x}:{PID:04x})"

    def health(self) -> Health:
        """The outcome of the last transfer, naming the module and its ids."""
        return self._health

    def _fail(self, message: str) -> DeviceError:
        self._health = Health(False, message, self._name())
        return DeviceError(message)

    def _usb_error(self, exc: Exception) -> DeviceError:
        code = getattr(exc, "errno", None)
        if code in (errno.EACCES, errno.EPERM):
            return self._fail(
                f"permission denied on {self._name()}: install a udev rule giving "
                'its usb and hidraw nodes GROUP="plugdev", MODE="0660", and add '
                "the terminal's user to plugdev"
            )
        if code in (errno.ENODEV, errno.ENOENT, errno.EIO):
            self._device = None
            return self._fail(f"{self._name()} was unplugged")
        return self._fail(f"{self._name()} failed: {exc}")

    def _find(self) -> Any:
        try:
            found = usb.core.find(
                find_all=True, idVendor=VID, idProduct=PID, backend=self.backend
            )
            candidates = list(found)
        except usb.core.NoBackendError as exc:
            raise self._fail("no USB library found: install libusb-1.0") from exc
        except usb.core.USBError as exc:
            raise self._usb_error(exc) from exc
        seen = []
        for device in candidates:
            try:
                product = usb.util.get_string(device, device.iProduct) or ""
                if not product.startswith("USBRelay"):
                    continue
                if device.is_kernel_driver_active(0):
                    device.detach_kernel_driver(0)
                ident = self._report(device)[:5].decode("ascii", "replace")
            except usb.core.USBError as exc:
                raise self._usb_error(exc) from exc
            seen.append(ident)
            if not self.module_id or ident == self.module_id:
                if not self.channels and product[8:].isdigit():
                    self.channels = int(product[8:])
                return device
        present = f"; modules present: {', '.join(seen)}" if seen else ""
        raise self._fail(f"{self._name()} is not plugged in{present}")

    def _report(self, device: Any) -> bytes:
        data = device.ctrl_transfer(
            *_GET_REPORT, _FEATURE_REPORT | 1, 0, 8, self.timeout_ms
        )
        return bytes(data)

    def _send(self, on: bool, relay: int) -> None:
        try:
            self._device.ctrl_transfer(
                *_SET_REPORT, _FEATURE_REPORT, 0, command(on, relay), self.timeout_ms
            )
        except usb.core.USBError as exc:
            raise self._usb_error(exc) from exc

    async def open(self) -> None:
        """Find the module and switch every relay off."""
        if self._device is None:
            self._device = self._find()
        for relay in range(1, self.channels + 1):
            self._send(False, relay)
        self._health = Health(True, f"{self._name()} ready", self._name())

    async def close(self) -> None:
        """Release the module; safe to call twice."""
        if self._device is not None:
            usb.util.dispose_resources(self._device)
            self._device = None

    def relay_states(self) -> list[bool]:
        """Which relays are on now, relay 1 first, from the feature report."""
        if self._device is None:
            raise self._fail(f"{self._name()} is not open")
        try:
            mask = self._report(self._device)[7]
        except usb.core.USBError as exc:
            raise self._usb_error(exc) from exc
        return [bool(mask >> i & 1) for i in range(self.channels)]

    async def unlock(self, board: int, channel: int) -> None:
        """Switch one relay on for the pulse, then off, whatever happens."""
        if board != 0:
            raise ValueError(f"{self.family}: one module per bus, board must be 0")
        async with self._lock:
            if self._device is None:
                await self.open()
            if not 1 <= channel <= self.channels:
                raise ValueError(f"relay {channel} is not 1-{self.channels}")
            self._send(True, channel)
            try:
                await asyncio.sleep(self.pulse)
            finally:
                self._switch_off(channel)

    def _switch_off(self, channel: int) -> None:
        try:
            self._send(False, channel)
        except DeviceError as exc:
            _log.error("could not switch relay %d off: %s", channel, exc)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Every channel unknown (a relay cannot see doors); checks the module."""
        if self._device is None:
            await self.open()
        self.relay_states()
        self._health = Health(True, f"{self._name()} answered", self._name())
        return tuple(ChannelState() for _ in range(self.channels))
