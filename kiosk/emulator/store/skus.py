"""SKUs, pre-advice of serialised units, stock doors and stock summaries."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.partner import (
    NsiSkuRequest,
    PreadviceRequest,
    SkuDoorRequest,
    SkuRequest,
    StockSummary,
)
from kiosk.emulator.models.reads import Sku
from kiosk.emulator.store.lookups import (
    require_door,
    require_location,
    require_sku,
    resolve_door_location,
)
from kiosk.emulator.store.stock import check_minimum, stock_level
from kiosk.emulator.store.tokens import Client


def list_skus(conn: sqlite3.Connection) -> list[Sku]:
    """Every SKU, in identifier order."""
    rows = conn.execute("SELECT * FROM skus ORDER BY identifier").fetchall()
    return [
        Sku(
            identifier=row["identifier"],
            name=row["name"],
            description=row["description"],
            serialised=bool(row["serialised"]),
            barcode=row["barcode"],
        )
        for row in rows
    ]


def create_sku(conn: sqlite3.Connection, request: SkuRequest) -> None:
    """Create a serialised SKU, or a non-serialised one with its barcode."""
    if conn.execute(
        "SELECT 1 FROM skus WHERE identifier = ?", (request.identifier,)
    ).fetchone():
        raise ApiError(
            409,
            ErrorCode.DUPLICATE_SKU,
            f"SKU '{request.identifier}' already exists.",
            "identifier",
        )
    barcode = request.barcode if isinstance(request, NsiSkuRequest) else None
    if barcode is not None:
        _refuse_taken_barcode(conn, barcode)
    conn.execute(
        "INSERT INTO skus VALUES (?, ?, ?, ?, ?)",
        (
            request.identifier,
            request.name,
            request.description,
            barcode is None,
            barcode,
        ),
    )


def _refuse_taken_barcode(conn: sqlite3.Connection, barcode: str) -> None:
    """Refuse a new SKU's barcode that another SKU or a pre-advice holds."""
    if conn.execute("SELECT 1 FROM skus WHERE barcode = ?", (barcode,)).fetchone():
        raise ApiError(
            409,
            ErrorCode.DUPLICATE_BARCODE,
            f"Barcode '{barcode}' already identifies another SKU.",
            "barcode",
        )
    preadvised = conn.execute(
        "SELECT sku FROM preadvices WHERE tracking_number = ?", (barcode,)
    ).fetchone()
    if preadvised is not None:
        # Every part of the new SKU would carry this barcode, so the unit
        # pre-advised under it could no longer be told apart from them.
        raise ApiError(
            409,
            ErrorCode.BARCODE_PREADVISED,
            f"Barcode '{barcode}' is already pre-advised as a unit of serialised"
            f" SKU '{preadvised['sku']}'.",
            "barcode",
        )


def preadvise(
    conn: sqlite3.Connection,
    sku: str,
    request: PreadviceRequest,
    client: Client,
    now: float,
) -> None:
    """Tell Konnect which serialised SKU a coming tracking number holds."""
    row = require_sku(conn, sku, "identifier")
    if not row["serialised"]:
        raise ApiError(
            409,
            ErrorCode.SKU_NOT_SERIALISED,
            f"SKU '{sku}' is non-serialised: it is pre-advised by its barcode.",
            "identifier",
        )
    other = conn.execute(
        "SELECT identifier FROM skus WHERE barcode = ?", (request.trackingNumber,)
    ).fetchone()
    if other is not None:
        # A serialised unit needs a tracking number of its own; this one is
        # carried by every part of a non-serialised SKU.
        raise ApiError(
            409,
            ErrorCode.TRACKING_NUMBER_IS_SKU_BARCODE,
            f"'{request.trackingNumber}' is the barcode of non-serialised SKU"
            f" '{other['identifier']}'.",
            "trackingNumber",
        )
    if conn.execute(
        "SELECT 1 FROM preadvices WHERE tracking_number = ?",
        (request.trackingNumber,),
    ).fetchone():
        raise ApiError(
            409,
            ErrorCode.DUPLICATE_TRACKING_NUMBER,
            f"'{request.trackingNumber}' is already pre-advised.",
            "trackingNumber",
        )
    conn.execute(
        "INSERT INTO preadvices VALUES (?, ?, ?, ?)",
        (request.trackingNumber, sku, client.client_id, now),
    )
    # A package already expected without a SKU learns it now.
    conn.execute(
        "UPDATE packages SET sku = ? WHERE tracking_number = ? AND sku IS NULL"
        " AND state != 'collected'",
        (sku, request.trackingNumber),
    )


def assign_stock_door(
    conn: sqlite3.Connection, sku: str, request: SkuDoorRequest, now: float
) -> None:
    """Make an inventory door a stock location of a SKU, with its minimum."""
    require_sku(conn, sku, "identifier")
    location = resolve_door_location(
        conn, request.doorIdentifier, request.locationIdentifier, "doorIdentifier"
    )
    door = require_door(conn, location, request.doorIdentifier, "doorIdentifier")
    if door["profile"] != "Inventory":
        raise ApiError(
            409,
            ErrorCode.DOOR_NOT_INVENTORY,
            f"Door '{request.doorIdentifier}' is a {door['profile']} door.",
            "doorIdentifier",
        )
    if not door["enabled"]:
        raise ApiError(
            409,
            ErrorCode.DOOR_DISABLED,
            f"Door '{request.doorIdentifier}' is disabled.",
            "doorIdentifier",
        )
    current = conn.execute(
        "SELECT sku FROM sku_doors WHERE location = ? AND door = ?",
        (location, request.doorIdentifier),
    ).fetchone()
    if current is not None and current["sku"] != sku:
        raise ApiError(
            409,
            ErrorCode.DOOR_ASSIGNED,
            f"Door '{request.doorIdentifier}' already stocks '{current['sku']}'.",
            "doorIdentifier",
        )
    conn.execute(
        "INSERT OR REPLACE INTO sku_doors VALUES (?, ?, ?, ?)",
        (location, request.doorIdentifier, sku, request.minimumStockLevel),
    )
    check_minimum(conn, location, sku, now)


def stock_summary(conn: sqlite3.Connection, location: str, sku: str) -> StockSummary:
    """The guide's stock summary of a SKU at a location."""
    require_location(conn, location, "locationIdentifier")
    require_sku(conn, sku, "skuIdentifier")
    level = stock_level(conn, location, sku)
    return StockSummary(
        totalNumberOfPackages=level.total,
        availableNumberOfPackages=level.available,
    )
