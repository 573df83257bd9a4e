"""Short all-digit labels in simulator mode: the package's number, not a code.

A DHL Express waybill (10 digits), a FedEx Express number (12) and a FedEx
Ground number (15) fit within the length of an access code. Real parts, as in
tests/e2e/test_delivery.py: the emulator in its own process, the simulated
world behind the production drivers, a real journal, the app under the pilot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from kiosk.runtime import Terminal
from kiosk.workflows import messages as m
from kiosk.workflows import views
from tests.support.bench import Bench, simulated_terminal
from tests.support.emulator import RunningEmulator, running_emulator
from tests.support.terminal import create_goods_in, eventually, sim_settings


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


@pytest.fixture
async def bench(tmp_path: Path, emulator: RunningEmulator) -> AsyncIterator[Bench]:
    async with simulated_terminal(sim_settings(tmp_path, emulator.url)) as made:
        yield made


def _showing(terminal: Terminal, words: str) -> bool:
    view = terminal.view
    return isinstance(view, views.CodeEntryView) and words in view.message


@pytest.mark.parametrize(
    "tracking",
    [
        "3318810025",  # DHL Express waybill
        "73891051146",  # DHL Express, 11 digits
        "986578788855",  # FedEx Express
        "041441760228964",  # FedEx Ground
    ],
)
async def test_a_short_numeric_label_delivers_its_package(
    bench: Bench, emulator: RunningEmulator, tracking: str
) -> None:
    await create_goods_in(emulator.url, tracking)
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        world.scan(tracking.encode() + b"\r")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        door = terminal.view.door  # type: ignore[attr-defined]
        world.put_item(door)
        world.close_door(door)
        await eventually(lambda: isinstance(terminal.view, views.DoneView))
        await pilot.pause()

    deliveries = terminal.journal.events("delivery")
    assert [e.payload["trackingNumber"] for e in deliveries] == [tracking]
    assert terminal.journal.events("code_refused") == []


async def test_labels_not_expected_here_never_count_as_wrong_codes(
    bench: Bench, emulator: RunningEmulator
) -> None:
    # Far more of them than the wrong codes that lock the terminal.
    await create_goods_in(emulator.url, "3318810014")
    terminal, world = bench.terminal, bench.world
    limit = terminal.delivery.limits.max_failed_codes
    async with bench.app.run_test(size=(120, 40)):
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        for _ in range(limit + 1):
            world.scan(b"8487135506\r")  # a DHL waybill, not pre-advised
            await eventually(
                lambda: _showing(terminal, "not expected here"), what="the refusal"
            )
            # Back home, so that the next refusal is a new screen to wait for.
            terminal.dispatch(m.Key("cancel"))
        # A misread of the DHL waybill that is expected: scan it again.
        world.scan(b"3318810010\r")
        await eventually(lambda: _showing(terminal, "scan it again"), what="rescan")

        # The right label still opens a door: nothing is locked out.
        world.scan(b"3318810014\r")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))

    assert terminal.journal.events("code_refused") == []
    assert terminal.journal.events("code_lockout") == []


async def test_scanned_access_codes_still_go_as_codes(
    bench: Bench, emulator: RunningEmulator
) -> None:
    code = await create_goods_in(emulator.url, "SCANNEDCODE01")
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)):
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
        world.scan(wrong.encode() + b"\r")
        await eventually(lambda: _showing(terminal, "not valid"), what="refusal")
        world.scan(code.encode() + b"\r")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))

    assert [e.payload for e in terminal.journal.events("code_refused")] == [
        {"reason": "unknown_code"}
    ]
