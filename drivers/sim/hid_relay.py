"""A simulated dcttech USB HID relay module behind `SimUsbBackend`."""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass, field

import usb.core

from drivers.sim.relays import Switch
from drivers.sim.usb_backend import SimUsbDevice


@dataclass
class SimDcttechRelay(SimUsbDevice):
    """A USBRelayN module answering SET_REPORT and GET_REPORT like the real one.

    Attributes:
        module_id: Its 5-character ID, as the feature report gives it.
        count: Relays fitted (the N of the product string).
        relays: Each relay's state, relay 1 first.
        history: Every switch, timed.
    """

    vid: int = 0x16C0
    pid: int = 0x05DF
    module_id: str = "SIM01"
    count: int = 2
    relays: list[bool] = field(default_factory=list)
    history: list[Switch] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.manufacturer = "www.dcttech.com"
        self.product = f"USBRelay{self.count}"
        self.endpoints = [(0x81, 0x03, 8)]
        self.relays = [False] * self.count

    def energised(self) -> list[int]:
        """The relays that are on now, from 1."""
        return [i + 1 for i, on in enumerate(self.relays) if on]

    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes
    ) -> bytes | int:
        """SET_REPORT switches or renames; GET_REPORT returns ID and mask."""
        if (request_type, request) == (0x21, 0x09) and len(data) >= 2:
            self._command(data)
            return len(data)
        if (request_type, request) == (0xA1, 0x01):
            mask = sum(1 << i for i, on in enumerate(self.relays) if on)
            return self.module_id.encode("ascii")[:5].ljust(5) + bytes((0, 0, mask))
        raise usb.core.USBError("Pipe error", None, errno.EPIPE)

    def _command(self, data: bytes) -> None:
        code, relay = data[0], data[1]
        if code == 0xFA:
            self.module_id = data[1:6].decode("ascii", "replace")
        elif code in (0xFF, 0xFD) and 1 <= relay <= self.count:
            on = code == 0xFF
            if self.relays[relay - 1] != on:
                self.relays[relay - 1] = on
                self.history.append(Switch(time.monotonic(), relay, on))
