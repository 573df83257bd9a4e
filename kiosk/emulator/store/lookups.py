"""Finding the things a request names, or refusing with 404."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode


def require_location(conn: sqlite3.Connection, location: str, field: str) -> None:
    """Refuse with 404 unless the location exists."""
    row = conn.execute(
        "SELECT 1 FROM locations WHERE identifier = ?", (location,)
    ).fetchone()
    if row is None:
        raise ApiError(
            404, ErrorCode.UNKNOWN_LOCATION, f"No location '{location}'.", field
        )


def require_door(
    conn: sqlite3.Connection, location: str, door: str, field: str
) -> sqlite3.Row:
    """The door row, or 404."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM doors WHERE location = ? AND identifier = ?", (location, door)
    ).fetchone()
    if row is None:
        raise ApiError(
            404, ErrorCode.UNKNOWN_DOOR, f"No door '{door}' at '{location}'.", field
        )
    return row


def resolve_door_location(
    conn: sqlite3.Connection, door: str, location: str | None, field: str
) -> str:
    """The location of a door named without one, as some guide calls do.

    Door identifiers are unique only within a location, so a door named alone
    is found only if exactly one location has it.
    """
    if location is not None:
        require_location(conn, location, "locationIdentifier")
        require_door(conn, location, door, field)
        return location
    rows = conn.execute(
        "SELECT location FROM doors WHERE identifier = ?", (door,)
    ).fetchall()
    if not rows:
        raise ApiError(404, ErrorCode.UNKNOWN_DOOR, f"No door '{door}'.", field)
    if len(rows) > 1:
        raise ApiError(
            400,
            ErrorCode.AMBIGUOUS_DOOR,
            f"Door '{door}' exists at several locations; name the location.",
            "locationIdentifier",
        )
    return str(rows[0]["location"])


def require_user(conn: sqlite3.Connection, user: str, field: str) -> sqlite3.Row:
    """The user row, or 404; a disabled user is refused with 409."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE identifier = ?", (user,)
    ).fetchone()
    if row is None:
        raise ApiError(404, ErrorCode.UNKNOWN_USER, f"No user '{user}'.", field)
    if not row["enabled"]:
        raise ApiError(
            409, ErrorCode.USER_DISABLED, f"User '{user}' is disabled.", field
        )
    return row


def require_sku(conn: sqlite3.Connection, sku: str, field: str) -> sqlite3.Row:
    """The SKU row, or 404."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM skus WHERE identifier = ?", (sku,)
    ).fetchone()
    if row is None:
        raise ApiError(404, ErrorCode.UNKNOWN_SKU, f"No SKU '{sku}'.", field)
    return row
