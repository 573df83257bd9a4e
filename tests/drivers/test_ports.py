"""Ports found by USB ids, and every bus finding its device again after a rename."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers import ports
from drivers.base import DeviceError, LockBus
from drivers.modbus_relay import ModbusRelayBoard
from drivers.ports import UsbMatch, parse_port, resolve_port, usb_identity
from drivers.relays import KmtronicRelayModule, LcusRelayModule, NumatoRelayModule
from drivers.sim.modbus_relay import SimModbusRelayBoards
from drivers.sim.pty import PtyHost, SimulatedDevice
from drivers.sim.relays import (
    SimKmtronicRelay,
    SimLcusRelay,
    SimNumatoRelay,
    SimRelayModule,
)
from tests.drivers.families import FAMILIES, Family
from tests.drivers.waiting import until


@dataclass
class Info:
    """The fields of pyserial's ListPortInfo that matching reads."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None = None
    location: str | None = None


def test_parse_port() -> None:
    assert parse_port("/dev/ttyUSB0") == "/dev/ttyUSB0"
    assert parse_port("usb:1a86:7523") == UsbMatch(0x1A86, 0x7523)
    assert parse_port("usb:0403:6001:DAE004XC") == UsbMatch(0x0403, 0x6001, "DAE004XC")
    assert parse_port("usb:1a86:7523@1-1.2:1.0") == UsbMatch(
        0x1A86, 0x7523, None, "1-1.2:1.0"
    )
    with pytest.raises(ValueError, match="hex"):
        parse_port("usb:zz:7523")


def test_resolve_by_ids_serial_and_location() -> None:
    plugged = [
        Info("/dev/ttyUSB0", 0x1A86, 0x7523, location="1-1.2:1.0"),
        Info("/dev/ttyUSB1", 0x1A86, 0x7523, location="1-1.3:1.0"),
        Info("/dev/ttyACM0", 0x2A19, 0x0C05, "N1"),
    ]
    assert resolve_port("usb:2a19:0c05", lambda: plugged) == "/dev/ttyACM0"
    assert resolve_port("usb:1a86:7523@1-1.3:1.0", lambda: plugged) == "/dev/ttyUSB1"
    with pytest.raises(DeviceError, match="several ports"):
        resolve_port("usb:1a86:7523", lambda: plugged)
    with pytest.raises(DeviceError, match="0403:6001") as caught:
        resolve_port("usb:0403:6001", lambda: plugged)
    assert "/dev/ttyACM0 (2a19:0c05)" in str(caught.value)


def test_usb_identity_follows_a_stable_name(tmp_path: Path) -> None:
    device = tmp_path / "ttyUSB0"
    device.touch()
    link = tmp_path / "locker-bus0"
    link.symlink_to(device)
    plugged = [Info(str(device), 0x1A86, 0x7523, location="1-1.2:1.0")]
    found = usb_identity(str(link), lambda: plugged)
    assert found == UsbMatch(0x1A86, 0x7523, None, "1-1.2:1.0")
    assert usb_identity(str(tmp_path / "other"), lambda: plugged) is None


@dataclass(frozen=True)
class Device:
    """A lock-bus back-end with its twin, and a check that it works."""

    name: str
    twin: Callable[[], SimulatedDevice]
    driver: Callable[[str], LockBus]
    board: int
    works: Callable[[Any, LockBus], Awaitable[None]]


def _board_family(family: Family) -> Device:
    async def works(twin: Any, bus: LockBus) -> None:
        assert len(await bus.read_board(family.boards[0])) == family.channels

    return Device(
        family.name,
        lambda: family.sim(family.boards),
        lambda port: family.driver(port, timeout=0.1, retries=0, unlock_guard=0.01),
        family.boards[0],
        works,
    )


async def _pulses(twin: SimRelayModule, bus: LockBus) -> None:
    start = len(twin.history)
    await bus.unlock(0, 1)

    def relay_1() -> list[bool]:
        return [s.on for s in twin.history[start:] if s.channel == 1]

    # The all-off of a fresh open may still be arriving around the pulse.
    await until(lambda: True in relay_1() and relay_1()[-1] is False)
    assert twin.energised() == []


def _relay(
    name: str, driver: type[LcusRelayModule], twin: type[SimRelayModule]
) -> Device:
    return Device(name, twin, lambda port: driver(port, pulse=0.01), 0, _pulses)


async def _modbus_works(twin: SimModbusRelayBoards, bus: LockBus) -> None:
    assert len(await bus.read_board(1)) == 8
    await bus.unlock(1, 2)
    assert twin.energised() == []
    assert [(s.channel, s.on) for s in twin.history[-2:]] == [(2, True), (2, False)]


DEVICES = [
    *(_board_family(family) for family in FAMILIES),
    Device(
        "modbus-relay",
        lambda: SimModbusRelayBoards(units=(1,)),
        lambda port: ModbusRelayBoard(port, timeout=0.1, retries=0, pulse=0.01),
        1,
        _modbus_works,
    ),
    _relay("lcus-relay", LcusRelayModule, SimLcusRelay),
    _relay("kmtronic-relay", KmtronicRelayModule, SimKmtronicRelay),  # type: ignore[arg-type]
    _relay("numato-relay", NumatoRelayModule, SimNumatoRelay),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("device", DEVICES, ids=lambda d: d.name)
async def test_found_again_under_a_new_name(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugged: list[Info] = []
    monkeypatch.setattr(ports, "_comports", lambda: plugged)
    twin = device.twin()
    first, second = PtyHost(twin), PtyHost(twin)
    await first.start()
    plugged.append(Info(first.slave_name, 0x1A86, 0x7523))
    # Holds the old name once it is freed, so the device comes back elsewhere.
    spare = PtyHost(SimLcusRelay())
    bus = device.driver("usb:1a86:7523")
    try:
        await bus.open()
        await device.works(twin, bus)
        # Unplugged: the old name dies, and nothing matches for a while.
        await first.stop()
        plugged.clear()
        await until(lambda: not bus.health().ok)
        assert first.slave_name in bus.health().detail
        with pytest.raises(DeviceError, match="1a86:7523"):
            await bus.read_board(device.board)
        assert "1a86:7523" in bus.health().detail
        # Plugged back in, under another name.
        await spare.start()
        await second.start()
        await spare.stop()
        assert second.slave_name != first.slave_name
        plugged.append(Info(second.slave_name, 0x1A86, 0x7523))
        await device.works(twin, bus)
        assert bus.health().ok
    finally:
        await bus.close()
        await spare.stop()
        await second.stop()
        await first.stop()
