"""Users: permanently assigned doors and package collection assignments."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.reads import User
from kiosk.emulator.store.lookups import (
    require_door,
    require_user,
    resolve_door_location,
)
from kiosk.emulator.store.notifications import PACKAGE_ASSIGNED, notify
from kiosk.emulator.store.packages import COLLECTED, DELIVERED, latest_package


def list_users(conn: sqlite3.Connection) -> list[User]:
    """Every user with their permanently assigned doors."""
    users = conn.execute("SELECT * FROM users ORDER BY identifier").fetchall()
    doors = conn.execute(
        "SELECT assigned_user, location, identifier FROM doors"
        " WHERE assigned_user IS NOT NULL ORDER BY location, identifier"
    ).fetchall()
    return [
        User(
            identifier=u["identifier"],
            name=u["name"],
            role=u["role"],
            enabled=bool(u["enabled"]),
            doors=[
                f"{d['location']}/{d['identifier']}"
                for d in doors
                if d["assigned_user"] == u["identifier"]
            ],
        )
        for u in users
    ]


def assign_door(
    conn: sqlite3.Connection, user: str, door_identifier: str, location: str | None
) -> None:
    """Permanently assign a door to a user; assigning it again is harmless."""
    require_user(conn, user, "identifier")
    location = resolve_door_location(conn, door_identifier, location, "doorIdentifier")
    door = require_door(conn, location, door_identifier, "doorIdentifier")
    if door["assigned_user"] == user:
        return
    if door["assigned_user"] is not None:
        raise ApiError(
            409,
            ErrorCode.DOOR_ASSIGNED,
            f"Door '{door_identifier}' is assigned to another user.",
            "doorIdentifier",
        )
    if not door["enabled"]:
        raise ApiError(
            409,
            ErrorCode.DOOR_DISABLED,
            f"Door '{door_identifier}' is disabled.",
            "doorIdentifier",
        )
    occupied = conn.execute(
        "SELECT 1 FROM packages WHERE location = ? AND door = ? AND state = ?",
        (location, door_identifier, DELIVERED),
    ).fetchone()
    if occupied is not None:
        raise ApiError(
            409,
            ErrorCode.DOOR_OCCUPIED,
            f"Door '{door_identifier}' holds packages.",
            "doorIdentifier",
        )
    conn.execute(
        "UPDATE doors SET assigned_user = ? WHERE location = ? AND identifier = ?",
        (user, location, door_identifier),
    )


def assign_collection(
    conn: sqlite3.Connection, user: str, barcode: str, now: float
) -> None:
    """Give a user temporary access to collect a package, and tell them."""
    require_user(conn, user, "userIdentifier")
    package = latest_package(conn, barcode, "barcode")
    if package["state"] == COLLECTED:
        raise ApiError(
            409,
            ErrorCode.ALREADY_COLLECTED,
            f"Package '{barcode}' has already been collected.",
            "barcode",
        )
    conn.execute(
        "INSERT OR REPLACE INTO collection_assignments VALUES (?, ?, ?)",
        (package["id"], user, now),
    )
    where = (
        f"is ready in door {package['door']} at {package['location']}"
        if package["state"] == DELIVERED
        else "is on its way"
    )
    notify(
        conn,
        PACKAGE_ASSIGNED,
        user,
        f"Package {barcode} is assigned to you for collection and {where}.",
        now,
        trackingNumber=barcode,
        location=package["location"],
        door=package["door"],
    )
