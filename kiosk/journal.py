"""The journal: every event at the terminal, stored durably before anyone is told.

One SQLite file in WAL mode with synchronous writes. An event that Konnect must
hear of gets an outbox row in the same transaction, so a crash can never leave an
event recorded but forgotten, or sent but not recorded. The journal only stores;
sending is the outbox's job.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    door TEXT,
    occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    event_id TEXT PRIMARY KEY REFERENCES events(event_id),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS code_cache (
    code_hash TEXT PRIMARY KEY,
    goods_in_id TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    sku TEXT,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS engineer_cache (
    pin_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    name TEXT NOT NULL,
    work TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doors (
    identifier TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    size TEXT NOT NULL,
    col INTEGER NOT NULL,
    row INTEGER NOT NULL,
    height_cm INTEGER,
    enabled INTEGER NOT NULL,
    occupied INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
"""


SESSION_ENDS = (
    "door_unlock",
    "delivery",
    "delivery_abandoned",
    "door_session_unresolved",
    "door_fault",
    "door_released",
)
"""Events that end a door session; a later unlock ends an earlier one too."""


_HEADS = (
    "WITH heads AS (SELECT MIN(e.seq) AS seq FROM outbox o"
    " JOIN events e USING (event_id) WHERE o.state = 'pending' GROUP BY e.door) "
)
"""The oldest owed event of each door (events without a door count as one door)."""


def utc_now() -> str:
    """The current time as Konnect expects it: ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class JournalEvent:
    """One recorded event."""

    seq: int
    event_id: str
    kind: str
    door: str | None
    occurred_at: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class OutboxItem:
    """An event that Konnect has not yet acknowledged."""

    event: JournalEvent
    attempts: int


@dataclass(frozen=True)
class DoorRecord:
    """What Konnect last told us about a door."""

    identifier: str
    profile: str
    size: str
    column: int
    row: int
    height_cm: int | None
    enabled: bool
    occupied: bool


class Journal:
    """The terminal's durable record. One instance per process."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the journal at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk when it returns, WAL or not.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file; safe to call twice."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(
        self,
        kind: str,
        *,
        door: str | None = None,
        payload: dict[str, Any] | None = None,
        report: bool = False,
        event_id: str | None = None,
    ) -> JournalEvent:
        """Store an event; with `report`, also queue it for Konnect.

        Returns when the event is on disk.
        """
        event = JournalEvent(
            seq=0,
            event_id=event_id or str(uuid.uuid4()),
            kind=kind,
            door=door,
            occurred_at=utc_now(),
            payload=dict(payload or {}),
        )
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO events (event_id, kind, door, occurred_at, payload)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    event.event_id,
                    kind,
                    door,
                    event.occurred_at,
                    json.dumps(event.payload, sort_keys=True),
                ),
            )
            if report:
                db.execute(
                    "INSERT INTO outbox (event_id) VALUES (?)", (event.event_id,)
                )
        seq = cursor.lastrowid
        assert seq is not None
        return JournalEvent(
            seq, event.event_id, kind, door, event.occurred_at, event.payload
        )

    def events(self, kind: str | None = None) -> list[JournalEvent]:
        """Every event, oldest first; only those of `kind` when given."""
        query = "SELECT seq, event_id, kind, door, occurred_at, payload FROM events"
        rows = (
            self._db.execute(query + " WHERE kind = ? ORDER BY seq", (kind,))
            if kind
            else self._db.execute(query + " ORDER BY seq")
        )
        return [_event(row) for row in rows]

    def due(self, now: float | None = None, limit: int = 50) -> list[OutboxItem]:
        """Events owed to Konnect whose next attempt is due, oldest first.

        Only the oldest owed event of each door is offered: a door's later
        events wait until the one before them has gone, so Konnect hears of
        each door's events in the order they happened.
        """
        now = time.time() if now is None else now
        rows = self._db.execute(
            _HEADS + "SELECT e.seq, e.event_id, e.kind, e.door, e.occurred_at,"
            " e.payload, o.attempts FROM heads JOIN events e USING (seq)"
            " JOIN outbox o USING (event_id) WHERE o.next_attempt_at <= ?"
            " ORDER BY e.seq LIMIT ?",
            (now, limit),
        )
        return [OutboxItem(_event(row[:6]), row[6]) for row in rows]

    def next_attempt_at(self) -> float | None:
        """When the next event `due` offers is due, or None if nothing is owed."""
        row = self._db.execute(
            _HEADS + "SELECT MIN(o.next_attempt_at) FROM heads"
            " JOIN events e USING (seq) JOIN outbox o USING (event_id)"
        ).fetchone()
        return None if row[0] is None else float(row[0])

    def mark_sent(self, event_id: str) -> None:
        """Konnect has the event."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL"
                " WHERE event_id = ?",
                (utc_now(), event_id),
            )

    def mark_retry(self, event_id: str, error: str, next_attempt_at: float) -> None:
        """The attempt failed for now; try again at `next_attempt_at`."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = ? WHERE event_id = ?",
                (error, next_attempt_at, event_id),
            )

    def mark_dead(self, event_id: str, error: str) -> None:
        """Konnect refused the event for good; a technician must look at it."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox SET state = 'dead', attempts = attempts + 1,"
                " last_error = ? WHERE event_id = ?",
                (error, event_id),
            )

    def replace_work(
        self,
        codes: list[tuple[str, str, str, str | None, str]],
        engineers: list[tuple[str, str, str, str]],
    ) -> None:
        """Replace the offline cache as one.

        Args:
            codes: (code hash, goods-in, tracking, SKU, expiry) of live codes.
            engineers: (PIN hash, user, name, work as JSON) of engineers.
        """
        with self._transaction() as db:
            db.execute("DELETE FROM code_cache")
            db.executemany(
                "INSERT OR REPLACE INTO code_cache VALUES (?, ?, ?, ?, ?)", codes
            )
            db.execute("DELETE FROM engineer_cache")
            db.executemany(
                "INSERT OR REPLACE INTO engineer_cache VALUES (?, ?, ?, ?)", engineers
            )

    def cached_engineer(self, pin_hash: str) -> tuple[str, str, str] | None:
        """The cached engineer for a PIN hash: (user, name, work as JSON)."""
        row = self._db.execute(
            "SELECT user, name, work FROM engineer_cache WHERE pin_hash = ?",
            (pin_hash,),
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def cached_code(self, code_hash: str) -> tuple[str, str, str | None, str] | None:
        """The cached goods-in for a code hash: (goods-in, tracking, SKU, expiry)."""
        row = self._db.execute(
            "SELECT goods_in_id, tracking_number, sku, expires_at FROM code_cache"
            " WHERE code_hash = ?",
            (code_hash,),
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2], row[3])

    def cached_goods_ins(self) -> list[tuple[str, str, str | None, str]]:
        """Every cached goods-in: (goods-in, tracking, SKU, expiry)."""
        rows = self._db.execute(
            "SELECT goods_in_id, tracking_number, sku, expires_at FROM code_cache"
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def delivered(self, goods_in_id: str) -> bool:
        """Whether a delivery of this goods-in is already journaled."""
        row = self._db.execute(
            "SELECT 1 FROM events WHERE kind = 'delivery'"
            " AND json_extract(payload, '$.goodsInId') = ? LIMIT 1",
            (goods_in_id,),
        ).fetchone()
        return row is not None

    def collected(self, tracking_number: str, door: str) -> bool:
        """Whether a collection of this package from this door is journaled."""
        row = self._db.execute(
            "SELECT 1 FROM events WHERE kind = 'collection' AND door = ?"
            " AND json_extract(payload, '$.trackingNumber') = ? LIMIT 1",
            (door, tracking_number),
        ).fetchone()
        return row is not None

    def kinds_since(
        self, door: str, kinds: tuple[str, ...], after: tuple[str, ...]
    ) -> list[str]:
        """Which of `kinds` were recorded for `door` since its last event of `after`.

        Oldest first; every one recorded for the door if none of `after` was.
        """
        wanted = ", ".join("?" * len(kinds))
        since = ", ".join("?" * len(after))
        rows = self._db.execute(
            f"SELECT kind FROM events WHERE door = ? AND kind IN ({wanted})"
            " AND seq > COALESCE((SELECT MAX(seq) FROM events WHERE door = ?"
            f" AND kind IN ({since})), 0) ORDER BY seq",
            (door, *kinds, door, *after),
        )
        return [row[0] for row in rows]

    def unfinished_sessions(self) -> list[tuple[JournalEvent, bool]]:
        """Door sessions begun but never ended: a crash came between.

        Returns each session's opening `door_unlock` event, oldest first, with
        whether the door is known to have opened since.
        """
        rows = self._db.execute(
            "SELECT seq, event_id, kind, door, occurred_at, payload FROM events e"
            " WHERE kind = 'door_unlock' AND NOT EXISTS ("
            "   SELECT 1 FROM events later WHERE later.door = e.door"
            "   AND later.seq > e.seq AND later.kind IN ("
            + ", ".join(f"'{kind}'" for kind in SESSION_ENDS)
            + ")) ORDER BY seq"
        ).fetchall()
        sessions = []
        for row in rows:
            event = _event(row)
            opened = self._db.execute(
                "SELECT 1 FROM events WHERE door = ? AND seq > ?"
                " AND kind IN ('door_unlocked', 'door_opened') LIMIT 1",
                (event.door, event.seq),
            ).fetchone()
            sessions.append((event, opened is not None))
        return sessions

    def retry_now(self) -> None:
        """Make every pending event due at once: Konnect is back."""
        with self._transaction() as db:
            db.execute("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'")

    def outbox_items(self, state: str) -> list[tuple[JournalEvent, int, str | None]]:
        """Events in one outbox state, oldest first, with attempts and last error."""
        rows = self._db.execute(
            "SELECT e.seq, e.event_id, e.kind, e.door, e.occurred_at, e.payload,"
            " o.attempts, o.last_error FROM outbox o JOIN events e USING (event_id)"
            " WHERE o.state = ? ORDER BY e.seq",
            (state,),
        )
        return [(_event(row[:6]), row[6], row[7]) for row in rows]

    def revive_dead(self) -> int:
        """Send dead letters again (after their cause is mended); return how many."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = 0"
                " WHERE state = 'dead'"
            )
        return cursor.rowcount

    def prune(self, older_than: str) -> int:
        """Forget events before `older_than` (ISO time) that nothing still needs.

        Kept whatever their age: events still owed to Konnect or refused by it,
        and door sessions that never ended. A finished session goes as a whole:
        its unlock is forgotten with the event that ended it, and an ending is
        kept while any unlock before it on its door is kept, so that a session
        long over never looks unfinished to a restart.
        """
        ends = ", ".join(f"'{kind}'" for kind in SESSION_ENDS)
        with self._transaction() as db:
            db.execute(
                "DELETE FROM outbox WHERE state = 'sent' AND event_id IN ("
                " SELECT event_id FROM events WHERE occurred_at < ?)",
                (older_than,),
            )
            unlocks = db.execute(
                "DELETE FROM events WHERE kind = 'door_unlock' AND occurred_at < ?"
                " AND EXISTS (SELECT 1 FROM events later"
                "  WHERE later.door = events.door AND later.seq > events.seq"
                f"  AND later.kind IN ({ends}))",
                (older_than,),
            ).rowcount
            others = db.execute(
                "DELETE FROM events WHERE occurred_at < ? AND kind != 'door_unlock'"
                " AND event_id NOT IN (SELECT event_id FROM outbox)"
                f" AND NOT (kind IN ({ends}) AND EXISTS ("
                "  SELECT 1 FROM events unlock WHERE unlock.kind = 'door_unlock'"
                "  AND unlock.door = events.door AND unlock.seq < events.seq))",
                (older_than,),
            ).rowcount
        return unlocks + others

    def outbox_counts(self) -> dict[str, int]:
        """How many events are pending, sent and dead."""
        counts = {"pending": 0, "sent": 0, "dead": 0}
        for state, count in self._db.execute(
            "SELECT state, COUNT(*) FROM outbox GROUP BY state"
        ):
            counts[state] = count
        return counts

    def save_doors(self, doors: list[DoorRecord]) -> None:
        """Replace the cached view of the location's doors."""
        now = utc_now()
        with self._transaction() as db:
            db.execute("DELETE FROM doors")
            db.executemany(
                "INSERT INTO doors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        d.identifier,
                        d.profile,
                        d.size,
                        d.column,
                        d.row,
                        d.height_cm,
                        int(d.enabled),
                        int(d.occupied),
                        now,
                    )
                    for d in doors
                ],
            )

    def doors(self) -> list[DoorRecord]:
        """The cached view of the location's doors."""
        rows = self._db.execute(
            "SELECT identifier, profile, size, col, row, height_cm, enabled, occupied"
            " FROM doors ORDER BY identifier"
        )
        return [
            DoorRecord(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]))
            for r in rows
        ]

    def set_occupied(self, door: str, occupied: bool) -> None:
        """Remember that a door now holds (or no longer holds) a package."""
        with self._transaction() as db:
            db.execute(
                "UPDATE doors SET occupied = ? WHERE identifier = ?",
                (int(occupied), door),
            )


def _event(row: tuple[Any, ...]) -> JournalEvent:
    return JournalEvent(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
