"""A barcode scanner that sends each read as a line on a serial port.

Works for RS-232 scanners and USB scanners in CDC/COM mode alike. Framing is in
`drivers.scan_framing`; reading and reconnecting in `drivers.port_reader`.
"""

from __future__ import annotations

import logging

from drivers.base import Health, ScanCallback, Scanner
from drivers.port_reader import PortReader
from drivers.scan_framing import ScanFramer, parse_suffix
from drivers.serialport import SerialPort

_log = logging.getLogger(__name__)


class SerialLineScanner(Scanner):
    """A line-based serial scanner.

    Args:
        port: Device path, e.g. ``/dev/ttyACM0``, a udev symlink, or
            ``usb:VID:PID`` (see `drivers.ports`).
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
        self._reader = PortReader(
            SerialPort(port, baudrate=baudrate),
            what="scanner",
            reconnect_delay=reconnect_delay,
            reconnect_max=reconnect_max,
        )
        self._suffix = parse_suffix(suffix)
        self.idle_timeout = idle_timeout
        self.embedded_suffix = embedded_suffix

    @property
    def port(self) -> str:
        """The scanner's configured port."""
        return self._reader.port.port

    async def start(self, on_scan: ScanCallback) -> None:
        """Open the port and read in a background task.

        Raises:
            DeviceError: The port cannot be opened now. Reading is not started;
                the caller decides whether to retry.
        """
        framer = ScanFramer(self._suffix, embedded=self.embedded_suffix)

        def handle(chunk: bytes) -> None:
            for scan in framer.feed(chunk) if chunk else framer.idle():
                try:
                    on_scan(scan)
                except Exception:
                    # One bad scan in the consumer must not drop the next.
                    _log.exception("scan callback failed")

        def wait() -> float | None:
            return self.idle_timeout if framer.pending else None

        await self._reader.start(handle, wait)

    async def stop(self) -> None:
        """Stop reading and close the port; safe to call twice."""
        await self._reader.stop()

    def health(self) -> Health:
        """Whether the port is open, naming it."""
        return self._reader.health
