"""Terminal events already recorded, keyed by the terminal's event id.

The event id is the terminal's idempotency key: a retry after a lost answer,
a crash or a power cut carries the same id and must change nothing.
"""

from __future__ import annotations

import sqlite3
from typing import Protocol

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode


class TerminalEvent(Protocol):
    """What every reported event names."""

    eventId: str
    trackingNumber: str
    door: str


def already_recorded(conn: sqlite3.Connection, event_id: str, kind: str) -> bool:
    """Whether this event was recorded before; 409 if under another kind."""
    # TODO(#3): a reused event id with another body is a silent "duplicate".
    row = conn.execute(
        "SELECT kind FROM terminal_events WHERE event_id = ?", (event_id,)
    ).fetchone()
    if row is None:
        return False
    if row["kind"] != kind:
        raise ApiError(
            409,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            f"Event '{event_id}' was already used for a {row['kind']}.",
            "eventId",
        )
    return True


def remember(
    conn: sqlite3.Connection,
    kind: str,
    location: str,
    event: TerminalEvent,
    occurred: float,
    now: float,
) -> None:
    """Record that an event happened, so a retry of it is a duplicate."""
    conn.execute(
        "INSERT INTO terminal_events (event_id, kind, location, tracking_number,"
        " door, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event.eventId,
            kind,
            location,
            event.trackingNumber,
            event.door,
            occurred,
            now,
        ),
    )
