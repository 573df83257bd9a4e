"""`kiosk doctor` against the simulated bank and the emulator."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from drivers.sim.lockers import Fault
from kiosk.doctor import diagnose
from kiosk.journal import Journal
from kiosk.sim.world import World
from tests.support.emulator import running_emulator
from tests.support.terminal import sim_settings


async def test_doctor_probes_everything_and_pulses_one_door(tmp_path: Path):
    with running_emulator() as emulator:
        settings = sim_settings(tmp_path, emulator.url)
        world = World(settings)
        await world.start()
        try:
            report = await diagnose(settings, pulse="B2")
            world.buses["bus0"].board(1).fault = Fault.OFFLINE
            broken = await diagnose(settings)
        finally:
            await world.stop()

    assert report["healthy"]
    # Two boards, the scanner, the keypad and Konnect.
    assert [c["ok"] for c in report["checks"]] == [True] * 5
    assert report["pulse"]["followed"]
    assert world.buses["bus0"].unlocks == [(0, 6)]  # B2 is board 0, channel 6
    journal = Journal(settings.journal_path)
    assert [e.door for e in journal.events("maintenance_pulse")] == ["B2"]

    assert not broken["healthy"]
    failed = [c["device"] for c in broken["checks"] if not c["ok"]]
    assert len(failed) == 1 and failed[0].endswith("board 1")


async def test_a_missing_secret_file_is_one_finding_not_the_end(tmp_path: Path):
    settings = sim_settings(
        tmp_path,
        "http://127.0.0.1:9",
        konnect={"client_secret": None, "client_secret_file": tmp_path / "absent"},
    )
    world = World(settings)
    await world.start()
    try:
        report = await diagnose(settings)
    finally:
        await world.stop()
    by_device = {c["device"]: c for c in report["checks"]}
    konnect = by_device["Konnect at http://127.0.0.1:9"]
    assert not konnect["ok"] and "secret file" in konnect["detail"]
    assert all(c["ok"] for name, c in by_device.items() if name != konnect["device"])


async def test_doctor_listens_to_the_keypad(tmp_path: Path):
    settings = sim_settings(
        tmp_path,
        "http://127.0.0.1:9",
        keypad={"driver": "wiegand-serial", "port": str(tmp_path / "sim" / "keypad0")},
    )
    world = World(settings)
    await world.start()
    loop = asyncio.get_running_loop()
    try:
        assert world.keypad is not None
        loop.call_later(0.2, world.keypad.press, "12")
        pressed = await diagnose(settings, keypad_window=0.6)
        silent = await diagnose(settings, keypad_window=0.1)
        # A converter that speaks another form.
        loop.call_later(0.1, world.lines["keypad"].send, b"E1\r\n")
        garbled = await diagnose(settings, keypad_window=0.4)
    finally:
        await world.stop()

    def keypad_check(report: dict[str, Any]) -> dict[str, Any]:
        (check,) = [c for c in report["checks"] if c["device"].startswith("keypad")]
        return check

    assert keypad_check(pressed) == {
        "device": f"keypad (wiegand-serial on {tmp_path / 'sim' / 'keypad0'})",
        "ok": True,
        "detail": "port opens; 2 keys arrived within 0.6 s",
    }
    assert keypad_check(silent)["ok"]
    assert "nothing arrived" in keypad_check(silent)["detail"]
    assert not keypad_check(garbled)["ok"]
    assert "no known form" in keypad_check(garbled)["detail"]
    assert "45 31 0d 0a" in keypad_check(garbled)["detail"]
