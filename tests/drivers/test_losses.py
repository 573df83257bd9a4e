"""Devices that vanish: relays, keypads and scanners reported, found again.

A port configured by path is named in health messages with the USB ids
pyserial listed for it while it was there, so a technician knows which
adapter to look for.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers import ports
from drivers.base import DeviceError
from drivers.kerong import KerongCU16Bus
from drivers.keypad_serial import SerialKeypad
from drivers.relays import LcusRelayModule
from drivers.scanner_serial import SerialLineScanner
from drivers.sim.kerong import SimKerongBus
from drivers.sim.keypad import SimSerialKeypad
from drivers.sim.pty import PtyHost
from drivers.sim.relays import SimLcusRelay
from drivers.sim.scanner import SimSerialScanner
from tests.drivers.waiting import until


@dataclass
class Info:
    """The fields of pyserial's ListPortInfo that matching reads."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None = None
    location: str | None = None


async def test_unplugged_relay_is_reported_and_found_again(tmp_path: Path) -> None:
    link = str(tmp_path / "relay0")
    sim = SimLcusRelay()
    host = PtyHost(sim, link=link)
    await host.start()
    module = LcusRelayModule(link, pulse=0.01)
    try:
        await module.open()
        await host.stop()
        await until(lambda: not module.health().ok)
        assert link in module.health().detail
        with pytest.raises(DeviceError, match="does not exist"):
            await module.unlock(0, 2)
        await host.start()
        await module.unlock(0, 2)
        await until(
            lambda: (
                [(s.channel, s.on) for s in sim.history][-2:]
                == [
                    (2, True),
                    (2, False),
                ]
            )
        )
        assert module.health().ok
    finally:
        await module.close()
        await host.stop()


async def test_relay_left_on_by_a_lost_port_is_switched_off_when_found(
    tmp_path: Path,
) -> None:
    link = str(tmp_path / "relay0")
    sim = SimLcusRelay()
    host = PtyHost(sim, link=link)
    await host.start()
    module = LcusRelayModule(link, pulse=0.3)
    try:
        await module.open()
        pulse = asyncio.create_task(module.unlock(0, 3))
        await until(lambda: sim.energised() == [3])
        # The adapter goes mid-pulse: the "off" cannot reach the relay.
        await host.stop()
        await pulse
        assert sim.energised() == [3]
        assert not module.health().ok
        await host.start()
        await module.read_board(0)
        await until(lambda: sim.energised() == [])
    finally:
        await module.close()
        await host.stop()


async def test_unplugged_keypad_is_reported_and_read_again(tmp_path: Path) -> None:
    link = str(tmp_path / "keypad0")
    sim = SimSerialKeypad("wiegand-hex")
    host = PtyHost(sim, link=link)
    await host.start()
    keys: list[str] = []
    keypad = SerialKeypad(
        link, protocol="wiegand-hex", reconnect_delay=0.02, reconnect_max=0.05
    )
    await keypad.start(keys.append)
    try:
        sim.press("1")
        await until(lambda: keys == ["1"])
        await host.stop()
        await until(lambda: not keypad.health().ok)
        assert link in keypad.health().detail
        await host.start()
        await until(lambda: keypad.health().ok, within=2)
        sim.press("2#")
        await until(lambda: keys == ["1", "2", "#"])
    finally:
        await keypad.stop()
        await host.stop()


async def test_keypad_and_scanner_found_again_under_new_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugged: list[Info] = []
    monkeypatch.setattr(ports, "_comports", lambda: plugged)
    keypad_sim, scanner_sim = SimSerialKeypad("ascii"), SimSerialScanner()
    old_keypad, old_scanner = PtyHost(keypad_sim), PtyHost(scanner_sim)
    await old_keypad.start()
    await old_scanner.start()
    plugged += [
        Info(old_keypad.slave_name, 0x0403, 0x6001, "KEYPAD1"),
        Info(old_scanner.slave_name, 0x0C2E, 0x0B61, "SCAN1"),
    ]
    keys: list[str] = []
    scans: list[bytes] = []
    keypad = SerialKeypad(
        "usb:0403:6001:KEYPAD1", reconnect_delay=0.02, reconnect_max=0.05
    )
    scanner = SerialLineScanner(
        "usb:0c2e:0b61:SCAN1", reconnect_delay=0.02, reconnect_max=0.05
    )
    await keypad.start(keys.append)
    await scanner.start(scans.append)
    # Held while the old names are freed, so the devices come back elsewhere.
    spares = [PtyHost(SimSerialScanner()), PtyHost(SimSerialScanner())]
    new_keypad, new_scanner = PtyHost(keypad_sim), PtyHost(scanner_sim)
    try:
        await old_keypad.stop()
        await old_scanner.stop()
        plugged.clear()
        await until(lambda: not keypad.health().ok and not scanner.health().ok)
        await until(lambda: "0403:6001" in keypad.health().detail)
        await until(lambda: "0c2e:0b61" in scanner.health().detail)
        for spare in spares:
            await spare.start()
        await new_keypad.start()
        await new_scanner.start()
        renamed = {new_keypad.slave_name, new_scanner.slave_name}
        assert not renamed & {old_keypad.slave_name, old_scanner.slave_name}
        plugged += [
            Info(new_keypad.slave_name, 0x0403, 0x6001, "KEYPAD1"),
            Info(new_scanner.slave_name, 0x0C2E, 0x0B61, "SCAN1"),
        ]
        await until(lambda: keypad.health().ok and scanner.health().ok, within=2)
        keypad_sim.press("42\r")
        scanner_sim.scan(b"1Z999AA10123456784")
        await until(lambda: keys == ["4", "2", "enter"] and len(scans) == 1)
        assert scans == [b"1Z999AA10123456784"]
    finally:
        await keypad.stop()
        await scanner.stop()
        for host in [*spares, new_keypad, new_scanner, old_keypad, old_scanner]:
            await host.stop()


async def test_a_path_port_is_named_by_the_usb_ids_it_last_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugged: list[Info] = []
    monkeypatch.setattr(ports, "_comports", lambda: plugged)
    link = str(tmp_path / "locker-bus0")
    host = PtyHost(SimKerongBus(boards=(0,)), link=link)
    await host.start()
    plugged.append(Info(host.slave_name, 0x1A86, 0x7523, location="1-1.2:1.0"))
    bus = KerongCU16Bus(link, timeout=0.1, retries=0)
    try:
        await bus.open()
        assert len(await bus.read_board(0)) == 16
        await host.stop()
        plugged.clear()
        await until(lambda: not bus.health().ok)
        assert "USB 1a86:7523 at 1-1.2:1.0" in bus.health().detail
        with pytest.raises(DeviceError, match="does not exist") as caught:
            await bus.read_board(0)
        assert link in str(caught.value)
        assert "USB 1a86:7523 at 1-1.2:1.0" in str(caught.value)
    finally:
        await bus.close()
        await host.stop()


async def test_a_path_scanner_lost_names_its_usb_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugged: list[Info] = []
    monkeypatch.setattr(ports, "_comports", lambda: plugged)
    link = str(tmp_path / "scanner0")
    host = PtyHost(SimSerialScanner(), link=link)
    await host.start()
    plugged.append(Info(host.slave_name, 0x0C2E, 0x0B61, "SCAN1"))
    scanner = SerialLineScanner(link, reconnect_delay=0.02, reconnect_max=0.05)
    await scanner.start(lambda scan: None)
    try:
        await host.stop()
        await until(lambda: not scanner.health().ok)
        await until(lambda: "does not exist" in scanner.health().detail)
        assert "USB 0c2e:0b61 serial SCAN1" in scanner.health().detail
    finally:
        await scanner.stop()
        await host.stop()
