"""A simulated serial barcode scanner on a pty."""

from __future__ import annotations

from drivers.scan_framing import parse_suffix
from drivers.sim.pty import SimulatedDevice


class SimSerialScanner(SimulatedDevice):
    """A scanner that "reads" a code when `scan` is called.

    Args:
        suffix: What the scanner appends to each read (name or bytes).
    """

    def __init__(self, suffix: str | bytes = "CR") -> None:
        self.suffix = parse_suffix(suffix)
        self.commands = bytearray()

    def scan(self, data: bytes, *, pieces: int = 1, gap: float = 0.005) -> None:
        """Send a read with the suffix, optionally split into pieces.

        Raises:
            RuntimeError: The scanner's line is not started.
        """
        if self.line is None or not self.line.running:
            raise RuntimeError("the simulated scanner's line is not started")
        self.line.send(data + self.suffix, pieces=pieces, gap=gap)

    def on_bytes(self, data: bytes) -> None:
        """Keep what the host sent (trigger commands); a scanner answers nothing."""
        self.commands += data
