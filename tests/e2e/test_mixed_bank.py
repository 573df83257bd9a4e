"""One bank built from boards of two families, each on its own bus."""

from __future__ import annotations

from pathlib import Path

from drivers.base import DoorSensor
from kiosk.assemble import build_bank
from kiosk.config import Settings
from kiosk.sim.world import World
from tests.support.terminal import sim_settings


def mixed(tmp_path: Path) -> Settings:
    settings = sim_settings(tmp_path, "http://127.0.0.1:9")
    data = settings.model_dump(mode="json")
    data["lock_buses"] = [
        {
            "name": "bus0",
            "driver": "kerong-cu16",
            "port": str(tmp_path / "sim" / "lockbus0"),
            "boards": [{"address": 0, "doors": ["A1", "A2", "A3", "A4"]}],
        },
        {
            "name": "bus1",
            "driver": "lockboard-8a80",
            "port": str(tmp_path / "sim" / "lockbus1"),
            "options": {"baudrate": 9600},
            "boards": [{"address": 1, "doors": ["", "C2", "C3"]}],
        },
    ]
    data["konnect"]["client_secret"] = "bh1-terminal-secret"
    return Settings(**data)


async def test_doors_on_two_kinds_of_board_open_through_their_own_protocol(
    tmp_path: Path,
):
    settings = mixed(tmp_path)
    world = World(settings)
    await world.start()
    bank = build_bank(settings)
    try:
        await bank.open()
        states = await bank.read_all()
        assert {door: s.door for door, s in states.items()} == dict.fromkeys(
            ["A1", "A2", "A3", "A4", "C2", "C3"], DoorSensor.CLOSED
        )
        assert await bank.unlock_and_confirm("C2")
        assert await bank.unlock_and_confirm("A3")
    finally:
        await bank.close()
        await world.stop()

    eight_a = [f.data for f in world.lines["bus1"].frames if f.data[0] == 0x8A]
    assert eight_a == [bytes([0x8A, 0x01, 0x02, 0x11, 0x8A ^ 0x01 ^ 0x02 ^ 0x11])]
    kerong = [f.data for f in world.lines["bus0"].frames if f.data[2] == 0x31]
    assert kerong == [bytes([0x02, 0x02, 0x31, 0x03, 0x38])]
    assert world.status()["doors"]["C2"]["open"]
