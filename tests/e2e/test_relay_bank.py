"""A bank of plain relays with no door sensors: the courier's Finish ends it.

Each relay module family, simulated on a pty and driven by the production
driver (a Modbus board with nothing wired to its inputs among them); the
emulator is real.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Settings
from kiosk.workflows import views
from tests.support.bench import simulated_terminal
from tests.support.emulator import RunningEmulator, running_emulator
from tests.support.terminal import create_goods_in, eventually, package, sim_settings

# Each kind of relay module, as a bus of its own, with its board address.
RELAYS = {
    "modbus-relay": ({"sensors": False}, 1),
    "lcus-relay": ({}, 0),
    "kmtronic-relay": ({}, 0),
    "numato-relay": ({}, 0),
}


def relay_settings(tmp_path: Path, url: str, driver: str) -> Settings:
    options, address = RELAYS[driver]
    data = sim_settings(tmp_path, url).model_dump()
    data["lock_buses"] = [
        {
            "name": "relays",
            "driver": driver,
            "port": str(tmp_path / "sim" / "relays0"),
            "options": options,
            "boards": [{"address": address, "doors": ["A1", "A2", "A3", "A4"]}],
        }
    ]
    return Settings(**data)


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


@pytest.mark.parametrize("driver", sorted(RELAYS))
async def test_a_delivery_into_a_door_without_sensors(
    tmp_path: Path, driver: str, emulator: RunningEmulator
):
    settings = relay_settings(tmp_path, emulator.url, driver)
    tracking = f"RELAY{driver.upper().replace('-', '')}"
    code = await create_goods_in(emulator.url, tracking)
    async with simulated_terminal(settings) as bench:
        terminal, world = bench.terminal, bench.world
        async with bench.app.run_test(size=(120, 40)) as pilot:
            await eventually(lambda: bool(terminal.journal.events("terminal_started")))
            await pilot.press("enter", *code, "enter")
            await eventually(
                lambda: isinstance(terminal.view, views.DoorOpenView), timeout=15
            )
            view = terminal.view
            assert isinstance(view, views.DoorOpenView) and view.unsure
            # One relay pulsed, and only one: nothing said the door stayed shut.
            relays = world.buses["relays"]
            assert len([s for s in relays.history if s.on]) == 1  # type: ignore[attr-defined]
            door = view.door
            world.put_item(door)
            world.close_door(door)
            await pilot.press("f")
            await eventually(lambda: isinstance(terminal.view, views.DoneView))
            await eventually(
                lambda: terminal.journal.outbox_counts()["sent"] == 1, what="report"
            )
        (delivery,) = terminal.journal.events("delivery")
        assert delivery.payload["confirmedBy"] == "courier"
    seen = await package(emulator.url, tracking)
    assert (seen["state"], seen["door"]) == ("delivered", door)
