"""Restocking: an engineer puts units of a SKU into its stock door."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.clock import from_datetime
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.terminal import EventReceipt, RestockRequest
from kiosk.emulator.store.events import already_recorded, remember
from kiosk.emulator.store.lookups import require_door, require_sku
from kiosk.emulator.store.packages import DELIVERED, add_package, move_package

RESTOCKED = "restocked"


def record_restock(
    conn: sqlite3.Connection, location: str, request: RestockRequest, now: float
) -> EventReceipt:
    """Record a unit put into a stock door once; a retry is a duplicate.

    A serialised unit collected before (say, from a delivery door on a job
    order) keeps its history and moves in; anything else becomes a new unit.
    """
    if already_recorded(conn, request, "restock"):
        return EventReceipt(eventId=request.eventId, status="duplicate")

    sku = require_sku(conn, request.skuIdentifier, "skuIdentifier")
    require_door(conn, location, request.door, "door")
    stock = conn.execute(
        "SELECT sku FROM sku_doors WHERE location = ? AND door = ?",
        (location, request.door),
    ).fetchone()
    if stock is None or stock["sku"] != request.skuIdentifier:
        raise ApiError(
            409,
            ErrorCode.DOOR_NOT_STOCK_DOOR,
            f"Door '{request.door}' is not a stock door of '{request.skuIdentifier}'.",
            "door",
        )

    occurred = from_datetime(request.occurredAt)
    remember(conn, "restock", location, request, occurred, now)
    # Units of a non-serialised SKU share one barcode, so each is a new unit.
    known = conn.execute(
        "SELECT id FROM packages WHERE tracking_number = ? AND state = 'collected'"
        " AND ? ORDER BY id DESC LIMIT 1",
        (request.trackingNumber, sku["serialised"]),
    ).fetchone()
    if known is None:
        add_package(
            conn,
            request.trackingNumber,
            request.skuIdentifier,
            DELIVERED,
            location,
            request.door,
            occurred,
        )
    else:
        move_package(
            conn, known["id"], DELIVERED, occurred, request.door, location, RESTOCKED
        )
    return EventReceipt(eventId=request.eventId, status="recorded")
