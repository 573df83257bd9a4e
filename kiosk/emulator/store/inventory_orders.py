"""Inventory orders: an engineer collects units of SKUs from stock doors."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.partner import (
    InventoryOrderLine,
    InventoryOrderRequest,
    InventoryOrderSku,
    InventoryOrderState,
)
from kiosk.emulator.models.reads import OrderState
from kiosk.emulator.store.lookups import require_location, require_sku, require_user
from kiosk.emulator.store.orders import (
    Picked,
    insert_order,
    notify_if_ready,
    order_state,
    refuse_duplicate,
)
from kiosk.emulator.store.stock import available_units, check_minimum


def create_inventory_order(
    conn: sqlite3.Connection,
    request: InventoryOrderRequest,
    now: float,
    path_location: str | None = None,
    path_sku: str | None = None,
) -> InventoryOrderState:
    """An inventory order reserving stock; refused if there is not enough."""
    refuse_duplicate(conn, request.orderReference)
    require_user(conn, request.user, "user")
    picked: list[Picked] = []
    reserved: dict[tuple[str, str], list[str]] = {}
    for index, line in enumerate(request.skus):
        field = f"skus.{index}"
        location, sku = _line_target(line, path_location, path_sku, field)
        require_location(conn, location, f"{field}.locationIdentifier")
        require_sku(conn, sku, f"{field}.sku")
        taken = {p[0] for p in picked}
        units = [
            u for u in available_units(conn, location, sku) if u["id"] not in taken
        ]
        barcodes = reserved.setdefault((location, sku), [])
        for unit in _choose_units(units, line, field):
            picked.append(
                (unit["id"], unit["tracking_number"], location, unit["door"], sku)
            )
            barcodes.append(unit["tracking_number"])

    insert_order(conn, request.orderReference, "inventory", request.user, picked, now)
    notify_if_ready(conn, request.orderReference, now)
    for location, sku in sorted(reserved):
        check_minimum(conn, location, sku, now)
    return _with_guide_lines(order_state(conn, request.orderReference), reserved)


def _with_guide_lines(
    order: OrderState, reserved: dict[tuple[str, str], list[str]]
) -> InventoryOrderState:
    """The order with the guide's `skus` lines: per location and SKU, the
    barcodes of the units reserved."""
    return InventoryOrderState(
        **order.model_dump(),
        skus=[
            InventoryOrderLine(
                sku=sku,
                quantity=len(barcodes),
                location=location,
                locationIdentifier=location,
                barcodes=barcodes,
            )
            for (location, sku), barcodes in reserved.items()
        ],
    )


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
