"""Packages: their state, place and history."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.clock import to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.reads import HistoryEntry, PackageState

PREADVISED = "preadvised"
DELIVERED = "delivered"
COLLECTED = "collected"


def add_package(
    conn: sqlite3.Connection,
    tracking_number: str,
    sku: str | None,
    state: str,
    location: str | None,
    door: str | None,
    at: float,
    goods_in_id: str | None = None,
) -> int:
    """Create a package with its first history entry; returns its id."""
    cursor = conn.execute(
        "INSERT INTO packages (tracking_number, sku, goods_in_id, state, location,"
        " door) VALUES (?, ?, ?, ?, ?, ?)",
        (tracking_number, sku, goods_in_id, state, location, door),
    )
    package_id = cursor.lastrowid
    assert package_id is not None
    add_history(conn, package_id, state, at, door)
    return package_id


def move_package(
    conn: sqlite3.Connection,
    package_id: int,
    state: str,
    at: float,
    door: str | None,
    location: str | None = None,
    event: str | None = None,
) -> None:
    """Record a package's new state and place; `event` names it if not the state."""
    if location is None:
        conn.execute(
            "UPDATE packages SET state = ?, door = ? WHERE id = ?",
            (state, door, package_id),
        )
    else:
        conn.execute(
            "UPDATE packages SET state = ?, door = ?, location = ? WHERE id = ?",
            (state, door, location, package_id),
        )
    add_history(conn, package_id, event or state, at, door)


def add_history(
    conn: sqlite3.Connection, package_id: int, event: str, at: float, door: str | None
) -> None:
    """Append one step to a package's history."""
    conn.execute(
        "INSERT INTO package_history (package_id, event, at, door) VALUES (?, ?, ?, ?)",
        (package_id, event, at, door),
    )


def latest_package(
    conn: sqlite3.Connection, tracking_number: str, field: str = "trackingNumber"
) -> sqlite3.Row:
    """The most recent package with this tracking number, or 404.

    Parts of a non-serialised SKU share one tracking number (the SKU's
    barcode), so several packages may carry it; the newest is the one meant.
    """
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM packages WHERE tracking_number = ? ORDER BY id DESC LIMIT 1",
        (tracking_number,),
    ).fetchone()
    if row is None:
        raise ApiError(
            404,
            ErrorCode.UNKNOWN_PACKAGE,
            f"No package '{tracking_number}'.",
            field,
        )
    return row


def package_state(conn: sqlite3.Connection, tracking_number: str) -> PackageState:
    """A package with its history."""
    row = latest_package(conn, tracking_number)
    history = conn.execute(
        "SELECT event, at, door FROM package_history WHERE package_id = ? ORDER BY id",
        (row["id"],),
    ).fetchall()
    return PackageState(
        trackingNumber=row["tracking_number"],
        state=row["state"],
        locationIdentifier=row["location"],
        door=row["door"],
        skuIdentifier=row["sku"],
        history=[
            HistoryEntry(event=h["event"], at=to_iso(h["at"]), door=h["door"])
            for h in history
        ],
    )
