"""Door alarms the terminals report: forced open, left open, shut again."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.clock import from_datetime, to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.terminal import AlarmRequest, EventReceipt, ReportedAlarm
from kiosk.emulator.store.lookups import require_door
from kiosk.emulator.store.notifications import DOOR_ALARM, notify_admins

_MESSAGES = {
    "forced_open": "Door {door} at {location} was forced open.",
    "left_open": "Door {door} at {location} has been left open.",
    "cleared": "Door {door} at {location} is shut again after an alarm.",
}


def record_alarm(
    conn: sqlite3.Connection, location: str, request: AlarmRequest, now: float
) -> EventReceipt:
    """Record an alarm once and tell the admins; a retry is a duplicate.

    Raises:
        ApiError: 404 for a door the location does not have; 409 for an event
            id used before for another alarm or another kind of event.
    """
    occurred = from_datetime(request.occurredAt)
    if _already_recorded(conn, location, request, occurred):
        return EventReceipt(eventId=request.eventId, status="duplicate")

    require_door(conn, location, request.door, "door")
    conn.execute(
        "INSERT INTO alarms (event_id, kind, location, door, occurred_at,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        (request.eventId, request.kind, location, request.door, occurred, now),
    )
    # Konnect's admins look after every location; a seed without any has
    # nobody to tell, and the alarm is kept all the same.
    notify_admins(
        conn,
        DOOR_ALARM,
        _MESSAGES[request.kind].format(door=request.door, location=location),
        now,
        eventId=request.eventId,
        alarm=request.kind,
        location=location,
        door=request.door,
    )
    return EventReceipt(eventId=request.eventId, status="recorded")


def list_alarms(conn: sqlite3.Connection, location: str) -> list[ReportedAlarm]:
    """Every alarm reported at `location`, in the order they happened."""
    rows = conn.execute(
        "SELECT * FROM alarms WHERE location = ? ORDER BY occurred_at, rowid",
        (location,),
    ).fetchall()
    return [
        ReportedAlarm(
            eventId=row["event_id"],
            kind=row["kind"],
            door=row["door"],
            occurredAt=to_iso(row["occurred_at"]),
            receivedAt=to_iso(row["recorded_at"]),
        )
        for row in rows
    ]


def _already_recorded(
    conn: sqlite3.Connection, location: str, request: AlarmRequest, occurred: float
) -> bool:
    """Whether this very alarm was recorded before; 409 if its id was used else."""
    row = conn.execute(
        "SELECT kind, location, door, occurred_at FROM alarms WHERE event_id = ?",
        (request.eventId,),
    ).fetchone()
    if row is None:
        other = conn.execute(
            "SELECT kind FROM terminal_events WHERE event_id = ?", (request.eventId,)
        ).fetchone()
        if other is not None:
            raise ApiError(
                409,
                ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
                f"Event '{request.eventId}' was already used for a {other['kind']}.",
                "eventId",
            )
        return False
    same = (request.kind, location, request.door, occurred)
    if tuple(row) != same:
        raise ApiError(
            409,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            f"Event '{request.eventId}' was already used for a {row['kind']} alarm"
            f" of door '{row['door']}' at '{row['location']}'.",
            "eventId",
        )
    return True
