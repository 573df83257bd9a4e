"""A simulated USB HID-POS scanner behind `SimUsbBackend`."""

from __future__ import annotations

import errno
from collections import deque
from dataclasses import dataclass, field

import usb.core

from drivers.hidpos import report
from drivers.sim.usb_backend import SimUsbDevice


@dataclass
class SimHidPosScanner(SimUsbDevice):
    """A scanner whose reads a test makes with `scan`.

    Attributes:
        pending: Reports waiting to be read from the interrupt endpoint.
        features: Feature reports the host sent (e.g. Honeywell's mode switch).
    """

    vid: int = 0x0C2E
    pid: int = 0x0B61
    pending: deque[bytes] = field(default_factory=deque)
    features: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.manufacturer = self.manufacturer or "Simulated"
        self.product = self.product or "HID-POS scanner"
        self.endpoints = [(0x81, 0x03, 64)]

    def scan(self, data: bytes, aim: bytes = b"]C0") -> None:
        """Queue a read, split over as many 56-byte reports as it needs."""
        chunks = [data[i : i + 56] for i in range(0, len(data), 56)] or [b""]
        for index, chunk in enumerate(chunks):
            self.pending.append(report(chunk, aim, more=index < len(chunks) - 1))

    def interrupt_in(self, endpoint: int, size: int) -> bytes:
        """The next queued report."""
        return self.pending.popleft() if self.pending else b""

    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes
    ) -> bytes | int:
        """Accept feature reports (SET_REPORT); stall anything else."""
        if (request_type, request) == (0x21, 0x09):
            self.features.append(data)
            return len(data)
        raise usb.core.USBError("Pipe error", None, errno.EPIPE)
