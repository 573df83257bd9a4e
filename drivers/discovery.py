"""What a technician's "doctor" needs: ports and USB devices present, and probes.

Nothing here pulses a lock unless asked to by `pulse_and_check`, which reads
the door back afterwards and says whether its sensor followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import usb.core
from serial.tools import list_ports

from drivers.bank import LockBank
from drivers.base import ChannelState, DeviceError, DoorSensor, LockBus, LockState


@dataclass(frozen=True)
class PortInfo:
    """A serial port as pyserial lists it."""

    device: str
    description: str
    vid: int | None
    pid: int | None
    serial: str | None
    location: str | None

    @property
    def usb_spec(self) -> str | None:
        """The ``usb:VID:PID[:SERIAL]`` that finds this port again, if USB."""
        if self.vid is None or self.pid is None:
            return None
        spec = f"usb:{self.vid:04x}:{self.pid:04x}"
        return f"{spec}:{self.serial}" if self.serial else f"{spec}@{self.location}"


def serial_ports() -> list[PortInfo]:
    """Every serial port, symlinks (by-id names) included."""
    return [
        PortInfo(p.device, p.description, p.vid, p.pid, p.serial_number, p.location)
        for p in list_ports.comports(include_links=True)
    ]


@dataclass(frozen=True)
class UsbInfo:
    """A USB device as pyusb sees it."""

    vid: int
    pid: int
    bus: int | None
    address: int | None


def usb_devices(backend: Any = None) -> list[UsbInfo]:
    """Every USB device; raises `DeviceError` if no USB library is installed."""
    try:
        found = list(usb.core.find(find_all=True, backend=backend))
    except usb.core.NoBackendError as exc:
        raise DeviceError("no USB library found: install libusb-1.0") from exc
    return [UsbInfo(d.idVendor, d.idProduct, d.bus, d.address) for d in found]


@dataclass(frozen=True)
class BoardProbe:
    """What one board said when read."""

    board: int
    answered: bool
    detail: str


async def probe_bus(bus: LockBus, boards: Iterable[int]) -> list[BoardProbe]:
    """Open a bus and read each board once; never pulses anything."""
    try:
        await bus.open()
    except DeviceError as exc:
        return [BoardProbe(board, False, str(exc)) for board in boards]
    probes = []
    for board in boards:
        try:
            states = await bus.read_board(board)
        except DeviceError as exc:
            probes.append(BoardProbe(board, False, str(exc)))
            continue
        probes.append(BoardProbe(board, True, _describe(bus, states)))
    return probes


def _describe(bus: LockBus, states: tuple[ChannelState, ...]) -> str:
    unknown = all(
        s.lock is LockState.UNKNOWN and s.door is DoorSensor.UNKNOWN for s in states
    )
    if not bus.senses_doors or unknown:
        # "0 doors open" would claim a knowledge the module does not have.
        return f"{len(states)} channels, no sensors, state unknown"
    opened = sum(s.door is DoorSensor.OPEN for s in states)
    return f"{len(states)} channels, {opened} doors open"


@dataclass(frozen=True)
class PulseCheck:
    """The outcome of pulsing one door and reading it back."""

    door: str
    sent: bool
    followed: bool
    detail: str
    sensed: bool = True
    """Whether the door has a sensor that could have followed at all."""

    @property
    def ok(self) -> bool:
        """Followed, or sent to a door no sensor can confirm."""
        return self.followed or (self.sent and not self.sensed)


async def pulse_and_check(
    bank: LockBank,
    door: str,
    within: float = 2.0,
) -> PulseCheck:
    """Pulse one door and report whether its lock or door sensor followed."""
    try:
        before = await bank.read_door(door)
        followed = await bank.unlock_and_confirm(door, timeout=within)
    except DeviceError as exc:
        return PulseCheck(door, False, False, str(exc))
    after = bank.states[door]
    if not bank.senses(door):
        detail = "pulse sent; this door has no sensor: check by eye that it opened"
        return PulseCheck(door, True, False, detail, sensed=False)
    if after.lock is LockState.UNKNOWN and after.door is DoorSensor.UNKNOWN:
        detail = "the board cannot report this door's state"
    elif followed:
        detail = f"sensor followed: {before.door.value} -> {after.door.value}"
    else:
        detail = f"no change seen within {within:g} s; check wiring and polarity"
    return PulseCheck(door, True, followed, detail)
