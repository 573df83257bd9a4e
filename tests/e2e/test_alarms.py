"""Door alarms end to end: raised at the bank, shown at home, heard by Konnect.

The simulated Kerong boards sit on pseudo-terminals behind the production
driver, the emulator is a real HTTP server of its own for each test (so that
what it holds is this test's alone), and the app is driven with Textual's pilot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from kiosk.runtime import Terminal
from kiosk.ui.app import KioskApp
from kiosk.workflows import views
from tests.support.bench import Bench, simulated_terminal
from tests.support.emulator import RunningEmulator, running_emulator
from tests.support.terminal import (
    create_goods_in,
    eventually,
    reported_alarms,
    sim_settings,
)

ALARMS = ("alarm_forced_open", "alarm_door_left_open", "alarm_cleared")


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


async def _bench(
    tmp_path: Path, emulator: RunningEmulator, open_alarm_seconds: float
) -> AsyncIterator[Bench]:
    settings = sim_settings(
        tmp_path, emulator.url, doors={"open_alarm_seconds": open_alarm_seconds}
    )
    async with simulated_terminal(settings) as made:
        yield made


@pytest.fixture
async def bench(tmp_path: Path, emulator: RunningEmulator) -> AsyncIterator[Bench]:
    async for made in _bench(tmp_path, emulator, 120.0):
        yield made


@pytest.fixture
async def hasty(tmp_path: Path, emulator: RunningEmulator) -> AsyncIterator[Bench]:
    """Doors may stay open for a second and a half."""
    async for made in _bench(tmp_path, emulator, 1.5):
        yield made


def alarm_line(app: KioskApp) -> str:
    """What the home screen's alarm line says, or "" when it is hidden."""
    line = app.query_one("#alarm-status", Static)
    return str(line.render()) if line.display else ""


def journaled(terminal: Terminal) -> list[tuple[str, str | None]]:
    return [(e.kind, e.door) for e in terminal.journal.events() if e.kind in ALARMS]


def kinds(alarms: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(a["kind"], a["door"]) for a in alarms]


async def test_a_forced_door_is_reported_once_and_shown_until_it_shuts(
    bench: Bench, emulator: RunningEmulator
):
    terminal, world, app = bench.terminal, bench.world, bench.app
    async with app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        assert alarm_line(app) == ""

        world.open_door("D3", force=True)
        await eventually(
            lambda: alarm_line(app) == "Door D3 was forced open.", what="the line"
        )
        await eventually(
            lambda: terminal.journal.outbox_counts()["sent"] == 1, what="the report"
        )
        assert kinds(await reported_alarms(emulator.url)) == [("forced_open", "D3")]
        # Still open a while later: still shown, and nothing more is raised.
        await pilot.pause(1.5)
        assert alarm_line(app) == "Door D3 was forced open."

        world.close_door("D3")
        await eventually(lambda: alarm_line(app) == "", what="the line to go")
        await eventually(
            lambda: terminal.journal.outbox_counts()["sent"] == 2, what="the clear"
        )

    assert journaled(terminal) == [("alarm_forced_open", "D3"), ("alarm_cleared", "D3")]
    reported = await reported_alarms(emulator.url)
    assert kinds(reported) == [("forced_open", "D3"), ("cleared", "D3")]
    assert [a["eventId"] for a in reported] == [
        e.event_id for e in terminal.journal.events() if e.kind in ALARMS
    ]


async def test_doors_left_open_raise_one_alarm_each_whoever_watches_them(
    hasty: Bench, emulator: RunningEmulator
):
    """A courier asks for a larger door and leaves the first one open.

    The delivery watches its own door and changes the courier's screen; the
    released door is watched by the terminal alone. Each raises one alarm.
    """
    terminal, world, app = hasty.terminal, hasty.world, hasty.app
    code = await create_goods_in(emulator.url, "LEFTOPEN0001")
    async with app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: len(terminal.journal.doors()) == 16, what="doors")
        await pilot.press("enter", *code, "enter")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        small = terminal.view.door  # type: ignore[attr-defined]
        await pilot.press("o")
        await eventually(
            lambda: (
                isinstance(terminal.view, views.DoorOpenView)
                and terminal.view.door != small
            ),
            what="the larger door",
        )
        large = terminal.view.door  # type: ignore[attr-defined]
        await eventually(
            lambda: terminal.view.alarm,  # type: ignore[attr-defined]
            what="the courier's alarm",
        )
        # Long past the limit for both: still one alarm each.
        await pilot.pause(3.5)
        assert sorted(journaled(terminal)) == sorted(
            [("alarm_door_left_open", small), ("alarm_door_left_open", large)]
        )

        world.put_item(large)
        world.close_door(large)
        await eventually(lambda: isinstance(terminal.view, views.DoneView))
        await pilot.press("enter")
        await eventually(lambda: isinstance(terminal.view, views.HomeView))
        await eventually(
            lambda: alarm_line(app) == f"Door {small} has been left open.",
            what="the line",
        )

        world.close_door(small)
        await eventually(lambda: alarm_line(app) == "", what="the line to go")
        await eventually(
            lambda: terminal.journal.outbox_counts()["pending"] == 0, what="reports"
        )

    reported = kinds(await reported_alarms(emulator.url))
    assert sorted(reported) == sorted(
        [
            ("left_open", small),
            ("left_open", large),
            ("cleared", large),
            ("cleared", small),
        ]
    )
    assert terminal.journal.outbox_counts() == {"pending": 0, "sent": 5, "dead": 0}
    assert [e.door for e in terminal.journal.events("delivery")] == [large]
