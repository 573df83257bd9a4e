"""Terminal heartbeats: the latest sign of life of each location's terminal."""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from kiosk.emulator.clock import from_datetime, to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.fields import check_json_object
from kiosk.emulator.models.terminal import HeartbeatRequest, LastHeartbeat

logger = logging.getLogger(__name__)


def record_heartbeat(
    conn: sqlite3.Connection, location: str, request: HeartbeatRequest, now: float
) -> None:
    """Keep the latest heartbeat of a location's terminal."""
    conn.execute(
        "INSERT OR REPLACE INTO heartbeats (location, at, status, received_at)"
        " VALUES (?, ?, ?, ?)",
        (location, from_datetime(request.at), json.dumps(request.status), now),
    )


def last_heartbeat(conn: sqlite3.Connection, location: str) -> LastHeartbeat:
    """The latest heartbeat from `location`, or 404 if none ever came."""
    row = conn.execute(
        "SELECT * FROM heartbeats WHERE location = ?", (location,)
    ).fetchone()
    if row is None:
        raise ApiError(
            404,
            ErrorCode.NO_HEARTBEAT,
            f"No heartbeat has come from '{location}'.",
            "locationIdentifier",
        )
    return LastHeartbeat(
        location=location,
        at=to_iso(row["at"]),
        receivedAt=to_iso(row["received_at"]),
        status=_readable_status(location, row["status"]),
    )


def _readable_status(location: str, stored: str) -> dict[str, Any] | None:
    """The stored status, or None if it cannot go back out as JSON.

    Older databases may hold what was once accepted unchecked: lone
    surrogates, NaN, very deep nesting, or text that is not JSON at all.
    """
    try:
        return check_json_object(json.loads(stored))
    except (ValueError, RecursionError):
        logger.warning("unreadable heartbeat status stored for %s", location)
        return None
