"""Per-board settings from the configuration file reach the drivers and twins."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.base import DoorSensor, LockState
from drivers.sim.modbus_relay import SimModbusRelayBoards
from kiosk.assemble import build_bank, check_devices
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.sim.world import World


def _settings(tmp_path: Path, buses: str) -> Settings:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f"""
[terminal]
location = "BH1"
state_dir = "{tmp_path / "var"}"

[konnect]
base_url = "http://127.0.0.1:9"
client_id = "bh1-terminal"
client_secret = "bh1-terminal-secret"

{buses}

[simulator]
enabled = true
device_dir = "{tmp_path / "sim"}"
""",
        encoding="utf-8",
    )
    return load_settings(path)


async def test_each_board_reads_with_its_own_polarity(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        f"""
[[lock_buses]]
name = "bus0"
driver = "kerong-cu16"
port = "{tmp_path / "sim" / "bus0"}"

[[lock_buses.boards]]
address = 0
doors = ["A1", "A2"]

[[lock_buses.boards]]
address = 1
locked_when_set = false
doors = ["B1", "B2"]
""",
    )
    world = World(settings)
    await world.start()
    bank = build_bank(settings)
    try:
        await bank.open()
        states = await bank.read_all()
        assert {door: s.lock for door, s in states.items()} == dict.fromkeys(
            ["A1", "A2", "B1", "B2"], LockState.LOCKED
        )
        assert await bank.unlock_and_confirm("B2")
        assert (await bank.read_door("B1")).lock is LockState.LOCKED
    finally:
        await bank.close()
        await world.stop()
    assert world.buses["bus0"].unlocks == [(1, 2)]


async def test_modbus_units_are_the_configured_boards(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        f"""
[[lock_buses]]
name = "relays"
driver = "modbus-relay"
port = "{tmp_path / "sim" / "relays"}"
options = {{ timeout = 0.1 }}

[[lock_buses.boards]]
address = 1
doors = ["R1"]

[[lock_buses.boards]]
address = 2
locked_when_set = false
doors = ["S1", "S2"]
""",
    )
    world = World(settings)
    await world.start()
    sim = world.buses["relays"]
    assert isinstance(sim, SimModbusRelayBoards)
    # Left on by a terminal that crashed mid-pulse.
    sim.coils[2][1] = True
    bank = build_bank(settings)
    try:
        await bank.open()
        assert sim.energised() == []
        states = await bank.read_all()
    finally:
        await bank.close()
        await world.stop()
    assert {door: s.door for door, s in states.items()} == dict.fromkeys(
        ["R1", "S1", "S2"], DoorSensor.CLOSED
    )


def test_polarity_on_a_board_without_one_is_refused(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        """
[[lock_buses]]
name = "bus0"
driver = "winnsen"
port = "/dev/locker-bus0"

[[lock_buses.boards]]
address = 1
locked_when_set = true
doors = ["A1"]
""",
    )
    with pytest.raises(ConfigError, match="'winnsen' has no lock-bit polarity"):
        check_devices(settings)


def test_polarity_as_a_bus_option_points_to_the_boards(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        """
[[lock_buses]]
name = "bus0"
driver = "kerong-cu16"
port = "/dev/locker-bus0"
options = { board_polarity = { 1 = false } }

[[lock_buses.boards]]
address = 1
doors = ["A1"]
""",
    )
    with pytest.raises(ConfigError, match="set the polarity on each board"):
        check_devices(settings)
