"""A courier delivers a package end to end in simulator mode.

Real parts throughout: the emulator is a real HTTP server in its own process,
the lock board is the simulated Kerong board on a pseudo-terminal driven by the
production driver, the journal is a real SQLite file, and the app is driven
with Textual's pilot.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from textual import events

from drivers.sim.lockers import Fault
from kiosk.assemble import build_terminal
from kiosk.config import Settings
from kiosk.sim.world import World
from kiosk.ui.app import KioskApp
from kiosk.workflows import views
from tests.support.bench import Bench, simulated_terminal
from tests.support.emulator import RunningEmulator, running_emulator
from tests.support.terminal import create_goods_in, eventually, package, sim_settings

TRACKING = "1Z5R89390357567127"


def kerong_unlock_frame(board: int, channel: int) -> bytes:
    """The CU16 unlock frame, built here from the protocol notes."""
    frame = bytes([0x02, board << 4 | (channel - 1), 0x31, 0x03])
    return frame + bytes([sum(frame) & 0xFF])


def wiring(settings: Settings, door: str) -> tuple[int, int]:
    """The (board, channel) the configuration wires `door` to."""
    for bus in settings.lock_buses:
        for board in bus.boards:
            if door in board.doors:
                return board.address, board.doors.index(door) + 1
    raise AssertionError(f"door {door} is not wired")


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


@pytest.fixture
async def bench(tmp_path: Path, emulator: RunningEmulator) -> AsyncIterator[Bench]:
    async with simulated_terminal(sim_settings(tmp_path, emulator.url)) as made:
        yield made


def unlock_frames(world: World) -> list[bytes]:
    return [f.data for f in world.lines["bus0"].frames if f.data[2:3] == b"\x31"]


async def test_a_courier_delivers_a_package(bench: Bench, emulator: RunningEmulator):
    code = await create_goods_in(emulator.url, TRACKING)
    terminal, world = bench.terminal, bench.world

    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: len(terminal.journal.doors()) == 16, what="doors")
        await pilot.press("enter")
        assert isinstance(terminal.view, views.CodeEntryView)
        await pilot.press(*code)
        assert terminal.view == views.CodeEntryView(code)
        await pilot.press("enter")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))

        door = terminal.view.door  # type: ignore[attr-defined]
        board, channel = wiring(bench.settings, door)
        assert unlock_frames(world) == [kerong_unlock_frame(board, channel)]
        assert world.status()["doors"][door]["open"] is True

        world.put_item(door)
        world.close_door(door)
        await eventually(lambda: isinstance(terminal.view, views.DoneView))
        assert terminal.view == views.DoneView(door, TRACKING)

        deliveries = terminal.journal.events("delivery")
        assert [(e.door, e.payload["trackingNumber"]) for e in deliveries] == [
            (door, TRACKING)
        ]
        await eventually(
            lambda: terminal.journal.outbox_counts()["sent"] == 1, what="report"
        )

    seen = await package(emulator.url, TRACKING)
    assert seen["state"] == "delivered"
    assert seen["door"] == door
    assert seen["locationIdentifier"] == "BH1"
    assert [h["event"] for h in seen["history"]].count("delivered") == 1


async def test_a_wrong_code_opens_nothing_and_reports_nothing(
    bench: Bench, emulator: RunningEmulator
):
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *"999999", "enter")
        await eventually(
            lambda: (
                isinstance(terminal.view, views.CodeEntryView) and terminal.view.error
            ),
            what="the refusal",
        )
        assert "not valid" in terminal.view.message  # type: ignore[attr-defined]
        await pilot.pause(0.5)

    assert unlock_frames(world) == []
    assert not any(state["open"] for state in world.status()["doors"].values())
    assert terminal.journal.events("delivery") == []
    assert terminal.journal.outbox_counts() == {"pending": 0, "sent": 0, "dead": 0}
    assert [e.payload for e in terminal.journal.events("code_refused")] == [
        {"reason": "unknown_code"}
    ]


async def test_the_code_takes_no_time_to_open_a_door(
    bench: Bench, emulator: RunningEmulator
):
    """Not a timing assertion: it checks the frame comes after the Enter."""
    code = await create_goods_in(emulator.url, "9400111206206406260787")
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: len(terminal.journal.doors()) == 16, what="doors")
        await pilot.press("enter", *code)
        pressed = time.monotonic()
        await pilot.press("enter")
        await eventually(lambda: bool(unlock_frames(world)), what="unlock frame")
        frame = next(f for f in world.lines["bus0"].frames if f.data[2] == 0x31)
        assert frame.at >= pressed


async def test_keys_reach_the_workflow_not_the_hidden_simulator_panel(bench: Bench):
    terminal = bench.terminal
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "3", "enter")
        assert isinstance(terminal.view, views.CodeEntryView)
        await pilot.press("4", "5")
        assert terminal.view == views.CodeEntryView("45")
        assert terminal.journal.events("scan") == []


async def test_the_simulator_panel_scans_through_the_real_scanner(bench: Bench):
    terminal = bench.terminal
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *"PARCEL1", "enter")
        await eventually(lambda: bool(terminal.journal.events("scan")), what="scan")
        assert terminal.journal.events("scan")[0].payload["raw"] == b"PARCEL1".hex()
        await eventually(
            lambda: (
                isinstance(terminal.view, views.CodeEntryView)
                and "not expected here" in terminal.view.message
            ),
            what="the refusal",
        )


async def test_views_arriving_together_are_all_shown_in_turn(bench: Bench):
    async with bench.app.run_test(size=(120, 40)) as pilot:
        for message in ("one", "two", "three"):
            bench.app.show(views.WorkingView(message))
        bench.app.show(views.ErrorView("last"))
        await pilot.pause(0.3)
        shown = bench.app.query_one("#error #message")
        assert "last" in str(shown.render())
        assert len(bench.app.query_one("#body").children) == 1


async def test_a_missing_scanner_does_not_stop_a_keypad_delivery(
    tmp_path: Path, emulator: RunningEmulator
):
    settings = sim_settings(tmp_path, emulator.url)
    world = World(settings)
    await world.start()
    unplugged = sim_settings(
        tmp_path, emulator.url, scanner={"port": str(tmp_path / "no-scanner")}
    )
    terminal = build_terminal(unplugged)
    app = KioskApp(terminal, title="t")
    code = await create_goods_in(emulator.url, "MISSINGSCANNER1")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await eventually(lambda: bool(terminal.journal.events("terminal_started")))
            await pilot.press("enter", *code, "enter")
            await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
            assert terminal.scanner is not None
            assert not terminal.scanner.health().ok
    finally:
        await world.stop()
        terminal.journal.close()


async def test_control_bytes_inside_a_scan_are_never_glued_into_a_code(bench: Bench):
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        world.scan(b"34\n56")
        await eventually(lambda: bool(terminal.journal.events("scan")), what="scan")
        await pilot.pause(0.2)
        assert isinstance(terminal.view, views.CodeEntryView)
        assert "not an access code" in terminal.view.message
        assert terminal.journal.events("code_refused") == []


async def test_a_courier_types_the_code_on_a_serial_keypad(
    bench: Bench, emulator: RunningEmulator
):
    terminal, world = bench.terminal, bench.world
    code = await create_goods_in(emulator.url, "KEYPAD0001")
    async with bench.app.run_test(size=(120, 40)):
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        world.press(code[:2] + "9*" + code[2:] + "#")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        assert terminal.journal.events("code_refused") == []


async def test_a_courier_scans_the_package_label_instead_of_typing(
    bench: Bench, emulator: RunningEmulator
):
    # Pre-advised as the bare number; the label carries it as a GS1-128 USPS
    # barcode with ZIP routing, an AIM prefix and FNC1 as GS.
    await create_goods_in(emulator.url, "9400111206206406260794")
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        world.scan(b"]C142090210\x1d9400111206206406260794")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        door = terminal.view.door  # type: ignore[attr-defined]
        world.put_item(door)
        world.close_door(door)
        await eventually(lambda: isinstance(terminal.view, views.DoneView))
        await pilot.press("enter")

        # The same label again: delivered already, and nothing opens.
        opened = len(unlock_frames(world))
        world.scan(b"]C142090210\x1d9400111206206406260794")
        await eventually(
            lambda: (
                isinstance(terminal.view, views.CodeEntryView)
                and "already been delivered" in terminal.view.message
            ),
            what="the refusal",
        )
        # A label with a wrong check digit: a rescan, not a guess.
        world.scan(b"9400111206206406260795")
        await eventually(
            lambda: (
                isinstance(terminal.view, views.CodeEntryView)
                and "scan it again" in terminal.view.message
            ),
            what="the rescan request",
        )
        assert len(unlock_frames(world)) == opened
    deliveries = terminal.journal.events("delivery")
    assert [e.payload["trackingNumber"] for e in deliveries] == [
        "9400111206206406260794"
    ]


async def test_a_keyboard_wedge_scan_is_told_from_typing_by_its_speed(
    tmp_path: Path, emulator: RunningEmulator
):
    settings = sim_settings(
        tmp_path, emulator.url, scanner={"driver": "keyboard-wedge"}
    )
    world = World(sim_settings(tmp_path, emulator.url))
    await world.start()
    terminal = build_terminal(settings)
    app = KioskApp(terminal, title="t")
    await create_goods_in(emulator.url, "PKGWEDGE0001")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await eventually(lambda: bool(terminal.journal.events("terminal_started")))
            # A person: Enter, then digits a tenth of a second apart.
            for key in ("enter", "4", "2"):
                await pilot.press(key)
                await pilot.pause(0.12)
            await pilot.pause(0.2)
            assert terminal.view == views.CodeEntryView("42")
            # The scanner: the whole label at once, ended by Enter, as a burst
            # of keys on the terminal's input (the pilot types too slowly).
            for character in "PKGWEDGE0001":
                app.post_message(events.Key(character, character))
            app.post_message(events.Key("enter", "\r"))
            await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
            assert terminal.journal.events("scan")[0].payload["length"] == 12
    finally:
        await world.stop()
        terminal.journal.close()


async def test_a_door_closed_with_nothing_inside_is_not_a_delivery(
    bench: Bench, emulator: RunningEmulator
):
    code = await create_goods_in(emulator.url, "EMPTYCLOSE01")
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        await pilot.press("enter", *code, "enter")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        door = terminal.view.door  # type: ignore[attr-defined]
        world.close_door(door)
        await eventually(lambda: terminal.view == views.EmptyCloseView(door))
        assert terminal.journal.events("delivery") == []

        # R opens the same door again; this time the package goes in.
        await pilot.press("r")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        assert world.status()["doors"][door]["open"]
        world.put_item(door)
        world.close_door(door)
        await eventually(lambda: isinstance(terminal.view, views.DoneView))
    assert [e.door for e in terminal.journal.events("delivery")] == [door]


async def test_a_close_missed_while_the_board_was_silent_still_counts(bench: Bench):
    """A bus glitch as the courier shuts the door must not strand the screen."""
    terminal, world = bench.terminal, bench.world
    code = await create_goods_in(bench.settings.konnect.base_url, "GLITCH0001")
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        await pilot.press("enter", *code, "enter")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        door = terminal.view.door  # type: ignore[attr-defined]
        board, _ = wiring(bench.settings, door)
        sim_board = world.buses["bus0"].board(board)
        sim_board.fault = Fault.OFFLINE
        await eventually(lambda: door in terminal.bank.out_of_service, what="silence")
        world.put_item(door)
        world.close_door(door)
        sim_board.fault = Fault.NONE
        await eventually(lambda: isinstance(terminal.view, views.DoneView))


async def test_the_first_forced_opening_after_a_start_raises_the_alarm(bench: Bench):
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)):
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        world.open_door("D3", force=True)
        await eventually(
            lambda: bool(terminal.journal.events("alarm_forced_open")), what="alarm"
        )
    assert [e.door for e in terminal.journal.events("alarm_forced_open")] == ["D3"]
    assert [e.door for e in terminal.journal.events("door_opened")] == ["D3"]


async def test_a_delivery_resumed_after_a_crash_ends_when_the_door_shuts(
    bench: Bench, emulator: RunningEmulator
):
    """Killed with the door open; started again; the courier then shuts it."""
    code = await create_goods_in(emulator.url, "RESUME00001")
    first, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(first.journal.events("terminal_started")))
        await pilot.press("enter", *code, "enter")
        await eventually(lambda: isinstance(first.view, views.DoorOpenView))
        door = first.view.door  # type: ignore[attr-defined]
        world.put_item(door)
    # Leaving the app stops the first terminal as a kill would: mid-session.
    first.journal.close()
    again = sim_settings(Path(bench.settings.terminal.state_dir).parent, emulator.url)
    second = build_terminal(again)
    app = KioskApp(second, title="t")
    try:
        async with app.run_test(size=(120, 40)):
            await eventually(lambda: bool(second.journal.events("terminal_started")))
            assert second.view == views.DoorOpenView(door)
            world.close_door(door)
            await eventually(lambda: isinstance(second.view, views.DoneView))
            await eventually(
                lambda: second.journal.outbox_counts()["sent"] == 1, what="report"
            )
    finally:
        second.journal.close()
    seen = await package(emulator.url, "RESUME00001")
    assert (seen["state"], seen["door"]) == ("delivered", door)


async def test_a_door_its_sensor_sees_a_package_in_is_never_offered(
    bench: Bench, emulator: RunningEmulator
):
    terminal, world = bench.terminal, bench.world
    async with bench.app.run_test(size=(120, 40)) as pilot:
        await eventually(lambda: bool(terminal.journal.events("terminal_started")))
        # Every door but C4 holds something Konnect does not know of.
        for door in bench.settings.door_ids():
            if door != "C4":
                world.buses["bus0"].put_item(*wiring(bench.settings, door))
        await eventually(
            lambda: all(
                terminal.bank.states[d].item.value == "present"
                for d in bench.settings.door_ids()
                if d != "C4"
            ),
            what="the item sensors",
        )
        code = await create_goods_in(emulator.url, "ITEMSENSOR01")
        await pilot.press("enter", *code, "enter")
        await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
        assert terminal.view.door == "C4"  # type: ignore[attr-defined]
