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
DOOR_ALARM = "door_alarm"


def notify(
    conn: sqlite3.Connection,
    kind: str,
    recipient: str,
    message: str,
    at: float,
    **data: Any,
) -> None:
    """Record a notification to `recipient` (a user or a client id).

    It is pushed to the recipient's app, and emailed as well to a user with an
    email address.
    """
    row = conn.execute(
        "SELECT email FROM users WHERE identifier = ?", (recipient,)
    ).fetchone()
    channels = ["push"] if row is None or row["email"] is None else ["push", "email"]
    conn.executemany(
        "INSERT INTO notifications (kind, recipient, channel, message, data, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(kind, recipient, c, message, json.dumps(data), at) for c in channels],
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
    conn: sqlite3.Connection,
    recipient: str | None,
    kind: str | None,
    channel: str | None = None,
) -> list[Notification]:
    """Recorded notifications, oldest first, optionally filtered."""
    rows = conn.execute(
        "SELECT * FROM notifications"
        " WHERE (:recipient IS NULL OR recipient = :recipient)"
        " AND (:kind IS NULL OR kind = :kind)"
        " AND (:channel IS NULL OR channel = :channel) ORDER BY id",
        {"recipient": recipient, "kind": kind, "channel": channel},
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
