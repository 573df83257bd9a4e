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


def already_recorded(conn: sqlite3.Connection, event: TerminalEvent, kind: str) -> bool:
    """Whether this very event was recorded before.

    Raises:
        ApiError: 409 if the event id was used before for another kind of
            event, another package or another door: that is a conflict, not a
            retry.
    """
    if conn.execute(
        "SELECT 1 FROM alarms WHERE event_id = ?", (event.eventId,)
    ).fetchone():
        raise ApiError(
            409,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            f"Event '{event.eventId}' was already used for an alarm.",
            "eventId",
        )
    row = conn.execute(
        "SELECT kind, tracking_number, door FROM terminal_events WHERE event_id = ?",
        (event.eventId,),
    ).fetchone()
    if row is None:
        return False
    if row["kind"] != kind:
        raise ApiError(
            409,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            f"Event '{event.eventId}' was already used for a {row['kind']}.",
            "eventId",
        )
    if (row["tracking_number"], row["door"]) != (event.trackingNumber, event.door):
        raise ApiError(
            409,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            f"Event '{event.eventId}' was already used for package "
            f"'{row['tracking_number']}' in door '{row['door']}'.",
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
