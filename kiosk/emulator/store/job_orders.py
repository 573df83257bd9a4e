"""Job orders: an engineer collects named packages from delivery doors."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.partner import JobOrderRequest
from kiosk.emulator.models.reads import OrderState
from kiosk.emulator.store.lookups import require_door, require_location, require_user
from kiosk.emulator.store.orders import (
    Picked,
    insert_order,
    notify_if_ready,
    order_state,
    refuse_duplicate,
)


def create_job_order(
    conn: sqlite3.Connection, request: JobOrderRequest, now: float
) -> OrderState:
    """A job order giving an engineer access to the doors holding its packages."""
    refuse_duplicate(conn, request.orderReference)
    require_user(conn, request.user, "user")
    picked: list[Picked] = []
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

    insert_order(conn, request.orderReference, "job", request.user, picked, now)
    notify_if_ready(conn, request.orderReference, now)
    return order_state(conn, request.orderReference)


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
