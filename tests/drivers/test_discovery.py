"""Doctor helpers: listing devices, probing buses, pulsing a door and reading back."""

from __future__ import annotations

from drivers.bank import LockBank
from drivers.discovery import (
    BoardProbe,
    PortInfo,
    probe_bus,
    pulse_and_check,
    serial_ports,
    usb_devices,
)
from drivers.kerong import KerongCU16Bus
from drivers.modbus_relay import ModbusRelayBoard
from drivers.relays import LcusRelayModule
from drivers.sim.hid_relay import SimDcttechRelay
from drivers.sim.kerong import Fault, SimKerongBus
from drivers.sim.modbus_relay import SimModbusRelayBoards
from drivers.sim.pty import PtyHost
from drivers.sim.relays import SimLcusRelay
from drivers.sim.usb_backend import SimUsbBackend


def test_listings() -> None:
    assert all(isinstance(port, PortInfo) for port in serial_ports())
    found = usb_devices(SimUsbBackend([SimDcttechRelay()]))
    assert [(d.vid, d.pid) for d in found] == [(0x16C0, 0x05DF)]
    ch340 = PortInfo("/dev/ttyUSB0", "USB Serial", 0x1A86, 0x7523, None, "1-1.2:1.0")
    assert ch340.usb_spec == "usb:1a86:7523@1-1.2:1.0"


async def test_probe_reads_without_pulsing() -> None:
    sim = SimKerongBus(boards=(0, 1))
    sim.board(1).fault = Fault.OFFLINE
    async with PtyHost(sim) as host:
        bus = KerongCU16Bus(host.port, timeout=0.05, retries=0)
        try:
            probes = await probe_bus(bus, [0, 1])
        finally:
            await bus.close()
    assert [(p.board, p.answered) for p in probes] == [(0, True), (1, False)]
    assert probes[0].detail == "16 channels, 0 doors open"
    assert sim.unlocks == []


async def test_pulse_and_check() -> None:
    sim = SimKerongBus(boards=(0,))
    async with PtyHost(sim) as host:
        bank = LockBank(
            {"bus": KerongCU16Bus(host.port, timeout=0.1)}, {"A1": ("bus", 0, 3)}
        )
        await bank.open()
        try:
            check = await pulse_and_check(bank, "A1", within=1)
        finally:
            await bank.close()
    assert check.sent and check.followed
    assert "closed -> open" in check.detail


async def test_a_pulse_on_a_relay_is_sent_and_left_to_the_eye() -> None:
    async with PtyHost(SimLcusRelay()) as host:
        relays = LcusRelayModule(host.port, pulse=0.01)
        bank = LockBank({"relays": relays}, {"R1": ("relays", 0, 1)})
        await bank.open()
        try:
            check = await pulse_and_check(bank, "R1", within=0.05)
        finally:
            await bank.close()
    assert check.sent and not check.followed and not check.sensed
    assert check.ok
    assert "no sensor: check by eye" in check.detail


async def test_probe_of_relays_without_sensors_says_the_state_is_unknown() -> None:
    async with PtyHost(SimLcusRelay()) as host:
        relays = LcusRelayModule(host.port)
        try:
            probes = await probe_bus(relays, [0])
        finally:
            await relays.close()
    assert probes == [BoardProbe(0, True, "8 channels, no sensors, state unknown")]


async def test_probe_of_modbus_relays_with_and_without_sensors() -> None:
    sim = SimModbusRelayBoards(units=(1,))
    sim.open_door(1, 2, force=True)
    async with PtyHost(sim) as host:
        details = []
        for sensors in (True, False):
            board = ModbusRelayBoard(host.port, timeout=0.1, sensors=sensors)
            try:
                details.append((await probe_bus(board, [1]))[0].detail)
            finally:
                await board.close()
    assert details == [
        "8 channels, 1 doors open",
        "8 channels, no sensors, state unknown",
    ]
