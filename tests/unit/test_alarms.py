"""Door alarms: raised once per opening, cleared when the door shuts."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kiosk.alarms import CLEARED, FORCED_OPEN, LEFT_OPEN, DoorAlarms
from kiosk.journal import Journal
from kiosk.ui.views.home import alarm_line

LIMIT = 0.1


def raised(journal: Journal) -> list[tuple[str, str | None]]:
    alarms = (FORCED_OPEN, LEFT_OPEN, CLEARED)
    return [(e.kind, e.door) for e in journal.events() if e.kind in alarms]


def watching(journal: Journal, wakes: list[int] | None = None) -> DoorAlarms:
    woken = wakes if wakes is not None else []
    return DoorAlarms(journal, lambda: woken.append(1), LIMIT)


async def test_a_forced_door_left_open_raises_each_alarm_once(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    wakes: list[int] = []
    alarms = watching(journal, wakes)

    alarms.opened("D3", forced=True)
    assert alarms.active == {"D3": "forced_open"}
    await asyncio.sleep(LIMIT * 4)
    alarms.closed("D3")

    assert raised(journal) == [
        (FORCED_OPEN, "D3"),
        (LEFT_OPEN, "D3"),
        (CLEARED, "D3"),
    ]
    assert alarms.active == {}
    assert journal.outbox_counts()["pending"] == 3
    assert len(wakes) == 3


async def test_a_door_shut_in_time_raises_nothing(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    alarms = watching(journal)

    alarms.opened("A1", forced=False)
    alarms.closed("A1")
    alarms.closed("A1")
    await asyncio.sleep(LIMIT * 2)

    assert raised(journal) == []


async def test_the_workflows_alarm_and_the_watch_never_both_count(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    alarms = watching(journal)

    # The workflow's comes first: the watch stands down for this opening.
    alarms.opened("A1", forced=False)
    assert alarms.claim_left_open("A1") is True
    await asyncio.sleep(LIMIT * 2)
    assert raised(journal) == []  # the workflow journals its own
    assert alarms.active == {"A1": "left_open"}

    # The watch's comes first: the workflow's is not journaled again.
    alarms.opened("B1", forced=False)
    await asyncio.sleep(LIMIT * 2)
    assert alarms.claim_left_open("B1") is False
    assert raised(journal) == [(LEFT_OPEN, "B1")]

    # A door with no opening seen (no sensor): the workflow's is all there is.
    assert alarms.claim_left_open("C1") is True


async def test_an_opening_from_before_a_restart_keeps_its_alarms(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    before = watching(journal)
    before.opened("D3", forced=True)
    await asyncio.sleep(LIMIT * 2)
    before.stop()

    after = watching(journal)
    after.found_open("D3")
    await asyncio.sleep(LIMIT * 2)
    assert after.active == {"D3": "forced_open"}
    assert raised(journal) == [(FORCED_OPEN, "D3"), (LEFT_OPEN, "D3")]

    # Once shut, the next opening found is a new one.
    after.closed("D3")
    journal.record("door_closed", door="D3")
    again = watching(journal)
    again.found_open("D3")
    assert again.active == {}
    await asyncio.sleep(LIMIT * 2)
    assert raised(journal)[-1] == (LEFT_OPEN, "D3")
    again.stop()


def test_the_home_line_names_the_doors_in_alarm() -> None:
    assert alarm_line({}) == ""
    assert alarm_line({"D3": "forced_open"}) == "Door D3 was forced open."
    assert alarm_line({"B2": "left_open"}) == "Door B2 has been left open."
    assert alarm_line(
        {"C1": "left_open", "A1": "forced_open", "B2": "left_open", "B1": "x"}
    ) == ("Door A1 was forced open. Doors B2 and C1 have been left open.")
    assert (
        alarm_line({d: "forced_open" for d in ("A3", "A1", "A2")})
        == "Doors A1, A2 and A3 were forced open."
    )
