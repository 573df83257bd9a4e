"""A technician's look at the hardware and the link, as plain data."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from drivers.base import DeviceError
from drivers.discovery import probe_bus, pulse_and_check, serial_ports, usb_devices
from kiosk.assemble import (
    build_bank,
    build_client,
    build_keypad,
    build_lock_bus,
    build_scanner,
    check_devices,
)
from kiosk.config import ConfigError, Settings
from kiosk.journal import Journal
from kiosk.konnect import KonnectRejected, KonnectUnavailable
from kiosk.single import AlreadyRunning, hold_lock


async def diagnose(
    settings: Settings, pulse: str | None = None, keypad_window: float = 1.0
) -> dict[str, Any]:
    """Everything `kiosk doctor` reports; `healthy` is False if anything failed.

    Args:
        settings: The terminal's configuration.
        pulse: A door to pulse and read back, if any.
        keypad_window: Seconds the keypad is listened to; keys pressed then
            are counted (never shown: they may be a PIN).

    Raises:
        ConfigError: the configuration names an unknown driver or door, or a
            pulse was asked for while the terminal runs.
    """
    check_devices(settings)
    checks = [
        *await _lock_buses(settings),
        await _scanner(settings),
        await _keypad(settings, keypad_window),
    ]
    checks.append(await _konnect(settings))
    report: dict[str, Any] = {
        "serialPorts": [
            {"device": p.device, "description": p.description, "usb": p.usb_spec}
            for p in serial_ports()
        ],
        "usbDevices": _usb(),
        "checks": [c for c in checks if c is not None],
    }
    if pulse is not None:
        report["pulse"] = await _pulse(settings, pulse)
    report["healthy"] = all(c["ok"] for c in report["checks"]) and (
        pulse is None or report["pulse"]["ok"]
    )
    return report


def _usb() -> list[str] | str:
    try:
        return [
            f"{d.vid:04x}:{d.pid:04x} bus {d.bus} address {d.address}"
            for d in usb_devices()
        ]
    except DeviceError as error:
        return str(error)


async def _lock_buses(settings: Settings) -> list[dict[str, Any]]:
    checks = []
    for bus_settings in settings.lock_buses:
        bus = build_lock_bus(bus_settings)
        addresses = [board.address for board in bus_settings.boards]
        try:
            probes = await probe_bus(bus, addresses)
        finally:
            await bus.close()
        for probe in probes:
            checks.append(
                {
                    "device": f"{bus_settings.name} ({bus_settings.driver} on "
                    f"{bus_settings.port}) board {probe.board}",
                    "ok": probe.answered,
                    "detail": probe.detail,
                }
            )
    return checks


async def _scanner(settings: Settings) -> dict[str, Any] | None:
    scanner = build_scanner(settings)
    if scanner is None or settings.scanner is None:
        return None
    name = f"scanner ({settings.scanner.driver} on {settings.scanner.port})"
    try:
        await scanner.start(lambda scan: None)
    except DeviceError as error:
        return {"device": name, "ok": False, "detail": str(error)}
    await scanner.stop()
    return {"device": name, "ok": True, "detail": "port opens"}


async def _keypad(settings: Settings, window: float) -> dict[str, Any] | None:
    keypad = build_keypad(settings)
    if keypad is None:
        return None
    name = f"keypad ({settings.keypad.driver} on {settings.keypad.port})"
    keys: list[str] = []
    try:
        await keypad.start(keys.append)
    except DeviceError as error:
        return {"device": name, "ok": False, "detail": str(error)}
    try:
        await asyncio.sleep(window)
        health = keypad.health()
    finally:
        await keypad.stop()
    if not health.ok:
        return {"device": name, "ok": False, "detail": f"port opens; {health.detail}"}
    if keys:
        heard = f"{len(keys)} keys arrived within {window:g} s"
    else:
        heard = f"nothing arrived within {window:g} s (press a key to test it)"
    return {"device": name, "ok": True, "detail": f"port opens; {heard}"}


async def _konnect(settings: Settings) -> dict[str, Any]:
    name = f"Konnect at {settings.konnect.base_url}"
    try:
        client = build_client(settings)
    except ConfigError as error:
        # A missing secret file is one finding among others, not a reason to
        # leave the ports and boards unchecked.
        return {"device": name, "ok": False, "detail": str(error)}
    try:
        doors = await client.doors()
    except (KonnectUnavailable, KonnectRejected) as error:
        return {"device": name, "ok": False, "detail": str(error)}
    finally:
        await client.aclose()
    wired = set(settings.door_ids())
    known = {door.identifier for door in doors}
    detail = f"answers; {len(doors)} doors at {settings.terminal.location}"
    if wired - known:
        detail += f"; wired but unknown to Konnect: {', '.join(sorted(wired - known))}"
    return {"device": name, "ok": not (wired - known), "detail": detail}


async def _pulse(settings: Settings, door: str) -> dict[str, Any]:
    if door not in settings.door_ids():
        raise ConfigError(f"no door {door!r} is wired; doors: {settings.door_ids()}")
    try:
        # The running terminal holds the ports; pulsing beside it would clash.
        lock = hold_lock(settings.terminal.state_dir / "kiosk.lock")
    except AlreadyRunning:
        raise ConfigError(
            "the terminal is running: stop it before pulsing a lock"
            " (systemctl stop kiosk)"
        ) from None
    bank = build_bank(settings)
    journal = Journal(settings.journal_path)
    try:
        await bank.open()
        result = await pulse_and_check(bank, door)
        # Every maintenance action leaves an audit record.
        journal.record(
            "maintenance_pulse",
            door=door,
            payload={"followed": result.followed, "detail": result.detail},
        )
    finally:
        await bank.close()
        journal.close()
        os.close(lock)
    return {
        "door": door,
        "sent": result.sent,
        "followed": result.followed,
        "ok": result.ok,
        "detail": result.detail,
    }
