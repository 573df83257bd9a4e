"""The journal stores durably and keeps the outbox in step with the events."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from kiosk.journal import DoorRecord, Journal, utc_now


def test_events_survive_reopening(tmp_path: Path):
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    event = journal.record("delivery", door="A1", payload={"x": 1}, report=True)
    journal.close()

    again = Journal(path)
    assert again.events() == [event]
    assert [item.event for item in again.due()] == [event]


def test_the_file_is_in_wal_mode_with_full_sync(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    db = journal._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_only_reported_events_are_owed(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    journal.record("door_opened", door="A1")
    owed = journal.record("delivery", door="A1", report=True)
    assert [item.event.event_id for item in journal.due()] == [owed.event_id]
    assert journal.outbox_counts() == {"pending": 1, "sent": 0, "dead": 0}


def test_retry_waits_and_sent_and_dead_leave_the_queue(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    first = journal.record("delivery", report=True)
    second = journal.record("delivery", report=True)
    third = journal.record("delivery", report=True)

    journal.mark_retry(first.event_id, "timeout", next_attempt_at=2e12)
    journal.mark_sent(second.event_id)
    journal.mark_dead(third.event_id, "409 door_not_delivery")

    assert journal.due() == []
    assert journal.next_attempt_at() == 2e12
    assert [i.attempts for i in journal.due(now=3e12)] == [1]
    assert journal.outbox_counts() == {"pending": 1, "sent": 1, "dead": 1}


def test_a_failed_transaction_leaves_nothing(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    event = journal.record("delivery", report=True)
    with pytest.raises(sqlite3.IntegrityError):
        journal.record("delivery", report=True, event_id=event.event_id)
    assert len(journal.events()) == 1
    assert journal.outbox_counts()["pending"] == 1


def test_doors_cache_replaces_and_marks_occupied(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    door = DoorRecord("A1", "Delivery", "L", 1, 1, 20, True, False)
    journal.save_doors([door, DoorRecord("A2", "Delivery", "M", 1, 2, 60, True, False)])
    journal.save_doors([door])
    journal.set_occupied("A1", True)
    assert [(d.identifier, d.occupied) for d in journal.doors()] == [("A1", True)]


def test_prune_forgets_only_what_nothing_needs(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    sent = journal.record("delivery", door="A1", report=True)
    journal.mark_sent(sent.event_id)
    owed = journal.record("delivery", door="A2", report=True)
    dead = journal.record("delivery", door="A3", report=True)
    journal.mark_dead(dead.event_id, "409")
    local = journal.record("door_opened", door="A1")
    unlock = journal.record("door_unlock", door="A4")

    assert journal.prune("2000-01-01T00:00:00") == 0
    assert journal.prune("2999-01-01T00:00:00") == 2  # the sent one and the local one
    kept = {e.event_id for e in journal.events()}
    assert kept == {owed.event_id, dead.event_id, unlock.event_id}
    assert local.event_id not in kept
    assert journal.outbox_counts() == {"pending": 1, "sent": 0, "dead": 1}


def test_dead_letters_are_listed_and_can_be_revived(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    dead = journal.record("delivery", door="A3", report=True)
    journal.mark_dead(dead.event_id, "409 door_not_delivery")
    [(event, attempts, error)] = journal.outbox_items("dead")
    assert (event.event_id, attempts, error) == (
        dead.event_id,
        1,
        "409 door_not_delivery",
    )
    assert journal.revive_dead() == 1
    assert [i.event.event_id for i in journal.due()] == [dead.event_id]


def test_prune_forgets_a_finished_session_whole_and_never_reopens_one(
    tmp_path: Path,
):
    journal = Journal(tmp_path / "j.sqlite3")
    package = {"goodsInId": "g1", "trackingNumber": "T1"}
    journal.record("door_unlock", door="A1", payload=package)
    journal.record("door_unlocked", door="A1")
    delivery = journal.record("delivery", door="A1", payload=package, report=True)
    journal.mark_sent(delivery.event_id)
    journal.record("door_unlock", door="A2", payload=package)
    journal.record("delivery_abandoned", door="A2", payload=package)
    unfinished = journal.record("door_unlock", door="A3", payload=package)
    assert [e.event_id for e, _ in journal.unfinished_sessions()] == [
        unfinished.event_id
    ]

    assert journal.prune("2999-01-01T00:00:00") == 5
    assert [e.event_id for e in journal.events()] == [unfinished.event_id]
    assert [e.event_id for e, _ in journal.unfinished_sessions()] == [
        unfinished.event_id
    ]


def test_prune_keeps_an_ending_while_its_unlock_is_kept(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    journal.record("door_unlock", door="A1")
    cutoff = utc_now()
    time.sleep(0.002)
    # The clock went back (NTP after a power cut): the ending looks older.
    ending = journal.record("delivery_abandoned", door="A1")
    journal._db.execute(
        "UPDATE events SET occurred_at = '2000-01-01T00:00:00' WHERE event_id = ?",
        (ending.event_id,),
    )
    journal.prune(cutoff)
    assert journal.unfinished_sessions() == []
