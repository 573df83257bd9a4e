"""USB HID-POS barcode scanners read through pyusb.

The scanner's interrupt IN endpoint is polled from the event loop with a
1 ms transfer timeout every `poll_interval`: pyusb's reads block, and a
short poll keeps the loop free without a thread. The device holds its
reports until they are read, so nothing is lost between polls. A scanner
that is unplugged is reported in `health` and looked for again by its ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from typing import Any

import usb.core
import usb.util

from drivers.base import DeviceError, Health, ScanCallback, Scanner
from drivers.hidpos import REPORT_SIZE, HidPosAssembler
from drivers.ports import UsbMatch, parse_port

_log = logging.getLogger(__name__)

_HONEYWELL_HIDPOS = (0x21, 0x09, 0x0300 | 254, 0, b"\xfe\x01")


class HidPosScanner(Scanner):
    """A HID-POS scanner.

    Args:
        port: ``usb:VID:PID[:SERIAL]`` of the scanner.
        include_aim: Deliver the AIM identifier in front of the data.
        poll_interval: Seconds between polls of the endpoint.
        honeywell_mode: Send Honeywell's "switch to HID-POS" feature report
            (ID 254, payload 0x01) when the scanner is found.
        backend: A pyusb backend; None lets pyusb pick libusb.
        reconnect_delay: Seconds between searches while it is unplugged.

    Raises:
        ValueError: `port` is not a ``usb:`` match.
    """

    def __init__(
        self,
        port: str,
        *,
        include_aim: bool = True,
        poll_interval: float = 0.01,
        honeywell_mode: bool = False,
        backend: Any = None,
        reconnect_delay: float = 1.0,
    ) -> None:
        match = parse_port(port)
        if not isinstance(match, UsbMatch):
            raise ValueError(f"a HID-POS scanner is found by usb:VID:PID, not {port!r}")
        self.match = match
        self.include_aim = include_aim
        self.poll_interval = poll_interval
        self.honeywell_mode = honeywell_mode
        self.backend = backend
        self.reconnect_delay = reconnect_delay
        self._device: Any = None
        self._endpoint: Any = None
        self._task: asyncio.Task[None] | None = None
        self._health = Health(False, f"scanner {match} not started", str(match))

    def health(self) -> Health:
        """Whether the scanner is attached, naming its ids."""
        return self._health

    def _fail(self, message: str) -> DeviceError:
        self._health = Health(False, message, str(self.match))
        return DeviceError(message)

    def _attach(self) -> None:
        try:
            device = usb.core.find(
                idVendor=self.match.vid,
                idProduct=self.match.pid,
                backend=self.backend,
                custom_match=self._serial_matches,
            )
            if device is None:
                raise self._fail(f"scanner {self.match} is not plugged in")
            if device.is_kernel_driver_active(0):
                device.detach_kernel_driver(0)
            interface = device.get_active_configuration()[(0, 0)]
            endpoint = usb.util.find_descriptor(
                interface,
                custom_match=lambda ep: (
                    usb.util.endpoint_direction(ep.bEndpointAddress)
                    == usb.util.ENDPOINT_IN
                ),
            )
            if endpoint is None:
                raise self._fail(f"scanner {self.match} has no input endpoint")
            if self.honeywell_mode:
                device.ctrl_transfer(*_HONEYWELL_HIDPOS)
        except usb.core.NoBackendError as exc:
            raise self._fail("no USB library found: install libusb-1.0") from exc
        except usb.core.USBError as exc:
            raise self._usb_error(exc) from exc
        self._device, self._endpoint = device, endpoint
        self._health = Health(True, f"scanner {self.match} ready", str(self.match))

    def _serial_matches(self, device: Any) -> bool:
        if self.match.serial is None:
            return True
        return bool(
            usb.util.get_string(device, device.iSerialNumber) == self.match.serial
        )

    def _usb_error(self, exc: Exception) -> DeviceError:
        code = getattr(exc, "errno", None)
        if code in (errno.EACCES, errno.EPERM):
            return self._fail(
                f"permission denied on scanner {self.match}: install a udev rule "
                'giving its usb node GROUP="plugdev", MODE="0660"'
            )
        return self._fail(f"scanner {self.match} was lost: {exc}")

    async def start(self, on_scan: ScanCallback) -> None:
        """Find the scanner and poll it in a background task.

        Raises:
            DeviceError: The scanner is not there now.
        """
        if self._task is not None:
            return
        self._attach()
        self._task = asyncio.create_task(
            self._run(on_scan), name=f"scanner {self.match}"
        )

    async def stop(self) -> None:
        """Stop polling and release the device; safe to call twice."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._release()

    def _release(self) -> None:
        if self._device is not None:
            usb.util.dispose_resources(self._device)
        self._device = self._endpoint = None

    async def _run(self, on_scan: ScanCallback) -> None:
        assembler = HidPosAssembler(include_aim=self.include_aim)
        while True:
            if self._device is None:
                await asyncio.sleep(self.reconnect_delay)
                with contextlib.suppress(DeviceError):
                    self._attach()
                continue
            try:
                self._drain(assembler, on_scan)
            except DeviceError:
                self._release()
                continue
            await asyncio.sleep(self.poll_interval)

    def _drain(self, assembler: HidPosAssembler, on_scan: ScanCallback) -> None:
        while True:
            try:
                raw = bytes(self._endpoint.read(REPORT_SIZE, timeout=1))
            except usb.core.USBTimeoutError:
                return
            except usb.core.USBError as exc:
                raise self._usb_error(exc) from exc
            scan = assembler.feed(raw)
            if scan is not None:
                try:
                    on_scan(scan)
                except Exception:
                    _log.exception("scan callback failed")
