"""Notifications Konnect would push or email, recorded instead of sent."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kiosk.emulator.clock import to_iso
from kiosk.emulator.models.reads import Notification

DELIVERY_MADE = "delivery_made"
PACKAGE_ASSIGNED = "package_assigned"
ORDER_READY = "order_ready"
STOCK_BELOW_MINIMUM = "stock_below_minimum"


# TODO(#3): all notifications are "push"; per-user email choice is not modelled.
def notify(
    conn: sqlite3.Connection,
    kind: str,
    recipient: str,
    message: str,
    at: float,
    **data: Any,
) -> None:
    """Record one notification to `recipient` (a user or a client id)."""
    conn.execute(
        "INSERT INTO notifications (kind, recipient, channel, message, data, at)"
        " VALUES (?, ?, 'push', ?, ?, ?)",
        (kind, recipient, message, json.dumps(data), at),
    )


def notify_admins(
    conn: sqlite3.Connection, kind: str, message: str, at: float, **data: Any
) -> None:
    """Record one notification to every enabled Admin user."""
    admins = conn.execute(
        "SELECT identifier FROM users WHERE role = 'Admin' AND enabled = 1"
    ).fetchall()
    for admin in admins:
        notify(conn, kind, admin["identifier"], message, at, **data)


def list_notifications(
    conn: sqlite3.Connection, recipient: str | None, kind: str | None
) -> list[Notification]:
    """Recorded notifications, oldest first, optionally filtered."""
    rows = conn.execute(
        "SELECT * FROM notifications WHERE (? IS NULL OR recipient = ?)"
        " AND (? IS NULL OR kind = ?) ORDER BY id",
        (recipient, recipient, kind, kind),
    ).fetchall()
    return [
        Notification(
            id=row["id"],
            kind=row["kind"],
            recipient=row["recipient"],
            channel=row["channel"],
            message=row["message"],
            at=to_iso(row["at"]),
            data=json.loads(row["data"]),
        )
        for row in rows
    ]
