"""What terminals report: deliveries, collections and heartbeats."""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from kiosk.emulator.clock import from_datetime
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.terminal import (
    CollectionRequest,
    DeliveryRequest,
    EventReceipt,
    TerminalDoor,
    TerminalDoors,
    WorkCollection,
    WorkEngineer,
)
from kiosk.emulator.store.events import already_recorded, remember
from kiosk.emulator.store.lookups import require_door
from kiosk.emulator.store.notifications import DELIVERY_MADE, notify
from kiosk.emulator.store.orders import on_package_collected, on_package_delivered
from kiosk.emulator.store.packages import COLLECTED, DELIVERED, move_package

Outcome = Literal["recorded", "duplicate"]


def terminal_doors(conn: sqlite3.Connection, location: str) -> TerminalDoors:
    """Every door at `location`, with whether it holds a delivered package."""
    rows = conn.execute(
        "SELECT d.*, EXISTS (SELECT 1 FROM packages p WHERE p.location = d.location"
        " AND p.door = d.identifier AND p.state = 'delivered') AS occupied"
        " FROM doors d WHERE d.location = ? ORDER BY d.col, d.row",
        (location,),
    ).fetchall()
    return TerminalDoors(
        location=location,
        doors=[
            TerminalDoor(
                identifier=row["identifier"],
                profile=row["profile"],
                size=row["size"],
                column=row["col"],
                row=row["row"],
                heightCm=row["height_cm"],
                enabled=bool(row["enabled"]),
                occupied=bool(row["occupied"]),
            )
            for row in rows
        ],
    )


def engineers_work(conn: sqlite3.Connection, location: str) -> list[WorkEngineer]:
    """Each enabled engineer with a PIN, and what they may open at `location`.

    They may collect packages assigned to them and the packages of their active
    orders that are in a door here, and open their permanently assigned doors.
    """
    engineers = conn.execute(
        "SELECT identifier, name, pin FROM users WHERE role = 'Engineer'"
        " AND enabled AND pin IS NOT NULL ORDER BY identifier"
    ).fetchall()
    collections = conn.execute(
        "SELECT ca.user, p.tracking_number, p.door, NULL AS reference"
        " FROM collection_assignments ca JOIN packages p ON p.id = ca.package_id"
        " WHERE p.state = 'delivered' AND p.location = :location"
        " UNION"
        " SELECT o.user, p.tracking_number, p.door, op.reference"
        " FROM order_packages op JOIN orders o USING (reference)"
        " JOIN packages p ON p.id = op.package_id"
        " WHERE o.state = 'active' AND NOT op.collected"
        " AND p.state = 'delivered' AND p.location = :location"
        " ORDER BY 3, 2",
        {"location": location},
    ).fetchall()
    doors = conn.execute(
        "SELECT assigned_user AS user, identifier FROM doors WHERE location = ?"
        " AND assigned_user IS NOT NULL AND enabled ORDER BY col, row",
        (location,),
    ).fetchall()
    return [
        WorkEngineer(
            userIdentifier=user["identifier"],
            name=user["name"],
            pin=user["pin"],
            doors=[d["identifier"] for d in doors if d["user"] == user["identifier"]],
            collections=[
                WorkCollection(
                    trackingNumber=c["tracking_number"],
                    door=c["door"],
                    orderReference=c["reference"],
                )
                for c in collections
                if c["user"] == user["identifier"]
            ],
        )
        for user in engineers
    ]


def record_delivery(
    conn: sqlite3.Connection, location: str, request: DeliveryRequest, now: float
) -> EventReceipt:
    """Record a delivery once; a repeated event id is a harmless duplicate.

    A delivery reported after its code expired is still recorded: the terminal
    accepted the code while offline and the package is physically in the door.
    """
    if already_recorded(conn, request, "delivery"):
        return EventReceipt(eventId=request.eventId, status="duplicate")

    goods_in = conn.execute(
        "SELECT * FROM goods_in WHERE id = ? AND location = ?",
        (request.goodsInId, location),
    ).fetchone()
    if goods_in is None:
        raise ApiError(
            404,
            ErrorCode.UNKNOWN_GOODS_IN,
            f"No goods-in '{request.goodsInId}' at '{location}'.",
            "goodsInId",
        )
    if goods_in["tracking_number"] != request.trackingNumber:
        raise ApiError(
            409,
            ErrorCode.TRACKING_NUMBER_MISMATCH,
            "The tracking number is not the goods-in's.",
            "trackingNumber",
        )
    door = require_door(conn, location, request.door, "door")
    # An occupied door is not refused: the terminal reports where the package is.
    if door["profile"] != "Delivery" or not door["enabled"]:
        raise ApiError(
            409,
            ErrorCode.DOOR_NOT_DELIVERY,
            f"Door '{request.door}' is not an enabled delivery door.",
            "door",
        )
    if goods_in["delivery_event_id"] is not None:
        raise ApiError(
            409,
            ErrorCode.ALREADY_DELIVERED,
            "This goods-in was already delivered by another event.",
            "goodsInId",
        )

    # The terminal's clock says when it happened; ours says when we heard.
    occurred = from_datetime(request.occurredAt)
    remember(conn, "delivery", location, request, occurred, now)
    conn.execute(
        "UPDATE goods_in SET delivery_event_id = ? WHERE id = ?",
        (request.eventId, goods_in["id"]),
    )
    package = conn.execute(
        "SELECT * FROM packages WHERE goods_in_id = ?", (goods_in["id"],)
    ).fetchone()
    move_package(conn, package["id"], DELIVERED, occurred, request.door, location)
    notify(
        conn,
        DELIVERY_MADE,
        _delivery_recipient(conn, door, package["id"], goods_in["client_id"]),
        f"Package {request.trackingNumber} was delivered to door {request.door}"
        f" at {location}.",
        now,
        trackingNumber=request.trackingNumber,
        location=location,
        door=request.door,
    )
    on_package_delivered(conn, package["id"], now)
    return EventReceipt(eventId=request.eventId, status="recorded")


def record_collection(
    conn: sqlite3.Connection, location: str, request: CollectionRequest, now: float
) -> EventReceipt:
    """Record a collection once; a repeated event id is a harmless duplicate."""
    if already_recorded(conn, request, "collection"):
        return EventReceipt(eventId=request.eventId, status="duplicate")

    require_door(conn, location, request.door, "door")
    package = conn.execute(
        "SELECT * FROM packages WHERE tracking_number = ? AND location = ?"
        " AND door = ? AND state = 'delivered' ORDER BY id LIMIT 1",
        (request.trackingNumber, location, request.door),
    ).fetchone()
    if package is None:
        raise ApiError(
            409,
            ErrorCode.PACKAGE_NOT_AT_DOOR,
            f"No package '{request.trackingNumber}' in door '{request.door}'.",
            "trackingNumber",
        )

    occurred = from_datetime(request.occurredAt)
    remember(conn, "collection", location, request, occurred, now)
    move_package(conn, package["id"], COLLECTED, occurred, request.door)
    conn.execute(
        "DELETE FROM collection_assignments WHERE package_id = ?", (package["id"],)
    )
    on_package_collected(conn, package["id"], location, request.door, now)
    return EventReceipt(eventId=request.eventId, status="recorded")


def _delivery_recipient(
    conn: sqlite3.Connection, door: sqlite3.Row, package_id: int, client_id: Any
) -> str:
    """Who hears of a delivery: the door's owner, the assignee, else the client."""
    if door["assigned_user"] is not None:
        return str(door["assigned_user"])
    row = conn.execute(
        "SELECT user FROM collection_assignments WHERE package_id = ?", (package_id,)
    ).fetchone()
    return str(row["user"]) if row is not None else str(client_id)
