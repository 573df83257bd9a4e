"""Job orders and inventory orders, and what collections do to them."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.clock import to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.partner import (
    InventoryOrderRequest,
    InventoryOrderSku,
    JobOrderRequest,
)
from kiosk.emulator.models.reads import OrderPackage, OrderState
from kiosk.emulator.store.lookups import (
    require_door,
    require_location,
    require_sku,
    require_user,
)
from kiosk.emulator.store.notifications import ORDER_READY, notify
from kiosk.emulator.store.stock import available_units, check_minimum

ACTIVE = "active"
COMPLETE = "complete"


def create_job_order(
    conn: sqlite3.Connection, request: JobOrderRequest, now: float
) -> OrderState:
    """A job order giving an engineer access to the doors holding its packages."""
    _refuse_duplicate(conn, request.orderReference)
    require_user(conn, request.user, "user")
    picked: list[tuple[int, str, str, str, str | None]] = []
    for index, line in enumerate(request.packages):
        field = f"packages.{index}"
        require_location(conn, line.location, f"{field}.location")
        require_door(conn, line.location, line.door, f"{field}.door")
        package = _job_package(conn, line.barcode, f"{field}.barcode")
        if package["state"] == "delivered" and (
            package["location"] != line.location or package["door"] != line.door
        ):
            raise ApiError(
                409,
                ErrorCode.PACKAGE_NOT_AT_DOOR,
                f"Package '{line.barcode}' is not in door '{line.door}'"
                f" at '{line.location}'.",
                f"{field}.door",
            )
        picked.append(
            (package["id"], line.barcode, line.location, line.door, package["sku"])
        )

    _insert_order(conn, request.orderReference, "job", request.user, picked, now)
    _notify_if_ready(conn, request.orderReference, now)
    return order_state(conn, request.orderReference)


def create_inventory_order(
    conn: sqlite3.Connection,
    request: InventoryOrderRequest,
    now: float,
    path_location: str | None = None,
    path_sku: str | None = None,
) -> OrderState:
    """An inventory order reserving stock; refused if there is not enough."""
    _refuse_duplicate(conn, request.orderReference)
    require_user(conn, request.user, "user")
    picked: list[tuple[int, str, str, str, str | None]] = []
    touched: set[tuple[str, str]] = set()
    for index, line in enumerate(request.skus):
        field = f"skus.{index}"
        location, sku = _line_target(line, path_location, path_sku, field)
        require_location(conn, location, f"{field}.locationIdentifier")
        require_sku(conn, sku, f"{field}.sku")
        taken = {p[0] for p in picked}
        units = [
            u for u in available_units(conn, location, sku) if u["id"] not in taken
        ]
        for unit in _choose_units(units, line, field):
            picked.append(
                (unit["id"], unit["tracking_number"], location, unit["door"], sku)
            )
        touched.add((location, sku))

    _insert_order(conn, request.orderReference, "inventory", request.user, picked, now)
    _notify_if_ready(conn, request.orderReference, now)
    for location, sku in sorted(touched):
        check_minimum(conn, location, sku, now)
    return order_state(conn, request.orderReference)


def order_state(conn: sqlite3.Connection, reference: str) -> OrderState:
    """An order with its packages, or 404."""
    order = conn.execute(
        "SELECT * FROM orders WHERE reference = ?", (reference,)
    ).fetchone()
    if order is None:
        raise ApiError(
            404, ErrorCode.UNKNOWN_ORDER, f"No order '{reference}'.", "orderReference"
        )
    lines = conn.execute(
        "SELECT * FROM order_packages WHERE reference = ? ORDER BY rowid", (reference,)
    ).fetchall()
    return OrderState(
        orderReference=order["reference"],
        kind=order["kind"],
        user=order["user"],
        state=order["state"],
        createdAt=to_iso(order["created_at"]),
        completedAt=None
        if order["completed_at"] is None
        else to_iso(order["completed_at"]),
        packages=[
            OrderPackage(
                barcode=line["tracking_number"],
                location=line["location"],
                door=line["door"],
                sku=line["sku"],
                collected=bool(line["collected"]),
            )
            for line in lines
        ],
    )


def on_package_delivered(conn: sqlite3.Connection, package_id: int, now: float) -> None:
    """Follow a package into its door and tell engineers whose orders are ready.

    A job order may name a package before it arrives; the door it names is then
    a guess, and the door the courier used is the one the engineer must open.
    """
    package = conn.execute(
        "SELECT location, door FROM packages WHERE id = ?", (package_id,)
    ).fetchone()
    references = conn.execute(
        "SELECT op.reference, o.user FROM order_packages op JOIN orders o"
        " USING (reference) WHERE op.package_id = ? AND o.state = 'active'",
        (package_id,),
    ).fetchall()
    for row in references:
        conn.execute(
            "UPDATE order_packages SET location = ?, door = ?"
            " WHERE reference = ? AND package_id = ?",
            (package["location"], package["door"], row["reference"], package_id),
        )
        conn.execute(
            "INSERT OR IGNORE INTO door_access (location, door, user, reference)"
            " VALUES (?, ?, ?, ?)",
            (package["location"], package["door"], row["user"], row["reference"]),
        )
        _notify_if_ready(conn, row["reference"], now)


def on_package_collected(
    conn: sqlite3.Connection, package_id: int, location: str, door: str, now: float
) -> None:
    """Complete orders whose packages are all collected and end their access."""
    conn.execute(
        "UPDATE order_packages SET collected = 1 WHERE package_id = ?", (package_id,)
    )
    references = conn.execute(
        "SELECT DISTINCT op.reference FROM order_packages op JOIN orders o"
        " USING (reference) WHERE op.package_id = ? AND o.state = 'active'",
        (package_id,),
    ).fetchall()
    for row in references:
        remaining = conn.execute(
            "SELECT COUNT(*) FROM order_packages WHERE reference = ? AND collected = 0",
            (row["reference"],),
        ).fetchone()[0]
        if remaining == 0:
            conn.execute(
                "UPDATE orders SET state = 'complete', completed_at = ?"
                " WHERE reference = ?",
                (now, row["reference"]),
            )
            conn.execute(
                "DELETE FROM door_access WHERE reference = ?", (row["reference"],)
            )

    sku = conn.execute(
        "SELECT sku FROM sku_doors WHERE location = ? AND door = ?", (location, door)
    ).fetchone()
    if sku is not None:
        check_minimum(conn, location, sku["sku"], now)


def _refuse_duplicate(conn: sqlite3.Connection, reference: str) -> None:
    row = conn.execute(
        "SELECT 1 FROM orders WHERE reference = ?", (reference,)
    ).fetchone()
    if row is not None:
        raise ApiError(
            409,
            ErrorCode.DUPLICATE_ORDER_REFERENCE,
            f"Order reference '{reference}' is already used.",
            "orderReference",
        )


def _job_package(conn: sqlite3.Connection, barcode: str, field: str) -> sqlite3.Row:
    """The package a job order line means: expected or delivered, not on an order."""
    package: sqlite3.Row | None = conn.execute(
        "SELECT * FROM packages WHERE tracking_number = ?"
        " AND state IN ('preadvised', 'delivered') ORDER BY id DESC LIMIT 1",
        (barcode,),
    ).fetchone()
    if package is None:
        collected = conn.execute(
            "SELECT 1 FROM packages WHERE tracking_number = ?", (barcode,)
        ).fetchone()
        if collected is not None:
            raise ApiError(
                409,
                ErrorCode.ALREADY_COLLECTED,
                f"Package '{barcode}' has already been collected.",
                field,
            )
        raise ApiError(
            404, ErrorCode.UNKNOWN_PACKAGE, f"No package '{barcode}'.", field
        )
    busy = conn.execute(
        "SELECT op.reference FROM order_packages op JOIN orders o USING (reference)"
        " WHERE op.package_id = ? AND o.state = 'active' AND op.collected = 0",
        (package["id"],),
    ).fetchone()
    if busy is not None:
        raise ApiError(
            409,
            ErrorCode.PACKAGE_ON_ORDER,
            f"Package '{barcode}' is already on order '{busy['reference']}'.",
            field,
        )
    return package


def _line_target(
    line: InventoryOrderSku,
    path_location: str | None,
    path_sku: str | None,
    field: str,
) -> tuple[str, str]:
    """The location and SKU of an inventory order line.

    The guide's body names the location twice (`location` and
    `locationIdentifier`) and its URI names both again; any of them may be
    given, and they must agree.
    """
    locations = {
        v for v in (line.locationIdentifier, line.location, path_location) if v
    }
    skus = {v for v in (line.sku, path_sku) if v}
    if len(locations) != 1:
        raise ApiError(
            400,
            ErrorCode.INVALID_FIELD,
            "Name exactly one location for each SKU line.",
            f"{field}.locationIdentifier",
        )
    if len(skus) != 1:
        raise ApiError(
            400,
            ErrorCode.INVALID_FIELD,
            "Name exactly one SKU for each SKU line.",
            f"{field}.sku",
        )
    return locations.pop(), skus.pop()


def _choose_units(
    units: list[sqlite3.Row], line: InventoryOrderSku, field: str
) -> list[sqlite3.Row]:
    """The named barcodes first, then any free units up to the quantity."""
    quantity = max(line.quantity, len(line.barcodes))
    if quantity == 0:
        raise ApiError(
            400,
            ErrorCode.INVALID_FIELD,
            "Order at least one unit.",
            f"{field}.quantity",
        )
    chosen: list[sqlite3.Row] = []
    for barcode in line.barcodes:
        match = next(
            (u for u in units if u["tracking_number"] == barcode and u not in chosen),
            None,
        )
        if match is None:
            raise ApiError(
                409,
                ErrorCode.INSUFFICIENT_STOCK,
                f"Unit '{barcode}' is not available in stock.",
                f"{field}.barcodes",
            )
        chosen.append(match)
    rest = [u for u in units if u not in chosen]
    missing = quantity - len(chosen)
    if missing > len(rest):
        raise ApiError(
            409,
            ErrorCode.INSUFFICIENT_STOCK,
            f"Only {len(units)} units available; {quantity} ordered.",
            f"{field}.quantity",
        )
    return chosen + rest[:missing]


def _insert_order(
    conn: sqlite3.Connection,
    reference: str,
    kind: str,
    user: str,
    picked: list[tuple[int, str, str, str, str | None]],
    now: float,
) -> None:
    conn.execute(
        "INSERT INTO orders (reference, kind, user, state, created_at)"
        " VALUES (?, ?, ?, 'active', ?)",
        (reference, kind, user, now),
    )
    for package_id, barcode, location, door, sku in picked:
        conn.execute(
            "INSERT OR IGNORE INTO order_packages (reference, package_id,"
            " tracking_number, location, door, sku) VALUES (?, ?, ?, ?, ?, ?)",
            (reference, package_id, barcode, location, door, sku),
        )
        conn.execute(
            "INSERT OR IGNORE INTO door_access (location, door, user, reference)"
            " VALUES (?, ?, ?, ?)",
            (location, door, user, reference),
        )


def _notify_if_ready(conn: sqlite3.Connection, reference: str, now: float) -> None:
    """Tell the order's user once every package on it is in a locker."""
    order = conn.execute(
        "SELECT user FROM orders WHERE reference = ?", (reference,)
    ).fetchone()
    waiting = conn.execute(
        "SELECT COUNT(*) FROM order_packages op JOIN packages p ON p.id = op.package_id"
        " WHERE op.reference = ? AND p.state != 'delivered' AND op.collected = 0",
        (reference,),
    ).fetchone()[0]
    if waiting == 0:
        notify(
            conn,
            ORDER_READY,
            order["user"],
            f"Order {reference} is ready to collect.",
            now,
            orderReference=reference,
        )
