"""Finding a serial device by its USB ids, so a renamed port is found again.

A port in the configuration is either a path (best a stable udev name such as
``/dev/serial/by-id/...`` or ``/dev/locker-bus0``) or a USB match written
``usb:VID:PID``, optionally with ``:SERIAL`` or ``@LOCATION`` (the sysfs
port, e.g. ``1-1.2:1.0``, for CH340 adapters that have no serial number).
A USB match is looked up every time the port is opened, so a device that
came back as ``ttyUSB1`` instead of ``ttyUSB0`` is found again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from serial.tools import list_ports

from drivers.base import DeviceError


@dataclass(frozen=True)
class UsbMatch:
    """A USB serial device by vendor, product and optionally serial or location."""

    vid: int
    pid: int
    serial: str | None = None
    location: str | None = None

    def __str__(self) -> str:
        text = f"USB {self.vid:04x}:{self.pid:04x}"
        if self.serial:
            text += f" serial {self.serial}"
        if self.location:
            text += f" at {self.location}"
        return text

    def accepts(self, info: Any) -> bool:
        """Whether a pyserial `ListPortInfo` is this device."""
        return (
            info.vid == self.vid
            and info.pid == self.pid
            and (self.serial is None or info.serial_number == self.serial)
            and (self.location is None or info.location == self.location)
        )


def parse_port(spec: str) -> str | UsbMatch:
    """A path stays a path; ``usb:VID:PID[:SERIAL][@LOCATION]`` becomes a match.

    Raises:
        ValueError: A ``usb:`` spec that cannot be read.
    """
    if not spec.startswith("usb:"):
        return spec
    body, _, location = spec[4:].partition("@")
    parts = body.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"port {spec!r}: write usb:VID:PID[:SERIAL][@LOCATION]")
    try:
        vid, pid = int(parts[0], 16), int(parts[1], 16)
    except ValueError:
        raise ValueError(f"port {spec!r}: VID and PID are hex numbers") from None
    serial = parts[2] if len(parts) == 3 else None
    return UsbMatch(vid, pid, serial, location or None)


Lister = Callable[[], Iterable[Any]]


def _comports() -> Iterable[Any]:
    ports: list[Any] = list_ports.comports()
    return ports


def resolve_port(spec: str, lister: Lister | None = None) -> str:
    """The device path for a configured port, looking USB matches up now.

    Raises:
        DeviceError: No device, or more than one, matches; the message names
            the ids and what is plugged in.
    """
    wanted = parse_port(spec)
    if isinstance(wanted, str):
        return wanted
    ports = list((lister or _comports)())
    found = [info.device for info in ports if wanted.accepts(info)]
    if len(found) == 1:
        return str(found[0])
    present = ", ".join(
        f"{info.device} ({info.vid or 0:04x}:{info.pid or 0:04x})"
        for info in ports
        if info.vid is not None
    )
    if not found:
        raise DeviceError(
            f"no serial device {wanted} is plugged in"
            + (f"; USB serial devices present: {present}" if present else "")
        )
    raise DeviceError(
        f"{wanted} matches several ports ({', '.join(found)}); add its serial "
        "number or @location to the port setting"
    )


def usb_identity(path: str, lister: Lister | None = None) -> UsbMatch | None:
    """The USB ids pyserial lists for the device at `path`, if it is USB.

    A symlink (a udev stable name) is followed, so ``/dev/locker-bus0`` is
    known by the ids of the ``ttyUSB`` it points at. Never raises: a port
    listing that fails just leaves the ids unknown.
    """
    try:
        target = os.path.realpath(path)
        ports = list((lister or _comports)())
    except (OSError, ValueError):
        return None
    for info in ports:
        if info.vid is None or info.pid is None:
            continue
        if os.path.realpath(info.device) == target:
            return UsbMatch(
                info.vid, info.pid, info.serial_number or None, info.location or None
            )
    return None
