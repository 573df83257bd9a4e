"""A barcode scanner that sends each read as a line on a serial port.

Works for RS-232 scanners and USB scanners in CDC/COM mode alike. Framing is in
`drivers.scan_framing`; this module owns the port, the reading task and the
reconnection after the scanner is unplugged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from drivers.base import DeviceError, Health, ScanCallback, Scanner
from drivers.scan_framing import ScanFramer, parse_suffix
from drivers.serialport import SerialPort

_log = logging.getLogger(__name__)


class SerialLineScanner(Scanner):
    """A line-based serial scanner.

    Args:
        port: Device path, e.g. ``/dev/ttyACM0`` or a udev symlink.
        baudrate: Line speed (USB CDC scanners ignore it).
        suffix: What ends each read: ``"CR"`` (default), ``"CRLF"``, ``"LF"``,
            ``"TAB"``, ``"NONE"`` or raw bytes.
        idle_timeout: Seconds of silence that also end a read.
        embedded_suffix: The suffix may occur inside a code; see
            `drivers.scan_framing`.
        reconnect_delay: First wait before reopening a lost port; it doubles
            up to `reconnect_max`.
        reconnect_max: Longest wait between reopen attempts.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        suffix: str | bytes = "CR",
        idle_timeout: float = 0.05,
        embedded_suffix: bool = False,
        reconnect_delay: float = 0.5,
        reconnect_max: float = 10.0,
    ) -> None:
        self._port = SerialPort(port, baudrate=baudrate)
        self._suffix = parse_suffix(suffix)
        self.idle_timeout = idle_timeout
        self.embedded_suffix = embedded_suffix
        self.reconnect_delay = reconnect_delay
        self.reconnect_max = reconnect_max
        self._task: asyncio.Task[None] | None = None
        self._health = Health(False, f"scanner on {port} not started", port)

    @property
    def port(self) -> str:
        """The scanner's device path."""
        return self._port.port

    async def start(self, on_scan: ScanCallback) -> None:
        """Open the port and read in a background task.

        Raises:
            DeviceError: The port cannot be opened now. Reading is not started;
                the caller decides whether to retry.
        """
        if self._task is not None:
            return
        try:
            await self._port.open()
        except DeviceError as exc:
            self._health = Health(False, str(exc), self.port)
            raise
        self._health = Health(True, f"scanner on {self.port} ready", self.port)
        self._task = asyncio.create_task(
            self._run(on_scan), name=f"scanner {self.port}"
        )

    async def stop(self) -> None:
        """Stop reading and close the port; safe to call twice."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._port.close()

    def health(self) -> Health:
        """Whether the port is open, naming it."""
        return self._health

    async def _run(self, on_scan: ScanCallback) -> None:
        delay = self.reconnect_delay
        while True:
            try:
                await self._read(on_scan)
            except DeviceError as exc:
                self._health = Health(False, str(exc), self.port)
            await self._port.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.reconnect_max)
            try:
                await self._port.open()
            except DeviceError as exc:
                self._health = Health(False, str(exc), self.port)
                continue
            delay = self.reconnect_delay
            self._health = Health(True, f"scanner on {self.port} ready", self.port)

    async def _read(self, on_scan: ScanCallback) -> None:
        framer = ScanFramer(self._suffix, embedded=self.embedded_suffix)
        while True:
            wait = self.idle_timeout if framer.pending else None
            data = await self._port.read_some(wait)
            scans = framer.feed(data) if data else framer.idle()
            for scan in scans:
                try:
                    on_scan(scan)
                except Exception:
                    # The consumer's bug must not stop the scanner.
                    _log.exception("scan callback failed")
