"""Stock levels of SKUs in their stock doors."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.emulator.store.notifications import STOCK_BELOW_MINIMUM, notify_admins

_IN_STOCK = (
    "FROM packages p JOIN sku_doors s ON s.location = p.location"
    " AND s.door = p.door AND s.sku = p.sku"
    " WHERE p.state = 'delivered' AND p.sku = ? AND p.location = ?"
)
_RESERVED = (
    "SELECT op.package_id FROM order_packages op JOIN orders o USING (reference)"
    " WHERE o.state = 'active' AND op.collected = 0"
)


@dataclass(frozen=True)
class StockLevel:
    """Units of a SKU at a location."""

    total: int
    available: int
    minimum: int


def stock_level(conn: sqlite3.Connection, location: str, sku: str) -> StockLevel:
    """Units in the SKU's stock doors, and those not held by an active order."""
    total = conn.execute(f"SELECT COUNT(*) {_IN_STOCK}", (sku, location)).fetchone()
    free = conn.execute(
        f"SELECT COUNT(*) {_IN_STOCK} AND p.id NOT IN ({_RESERVED})",
        (sku, location),
    ).fetchone()
    minimum = conn.execute(
        "SELECT COALESCE(SUM(minimum_stock_level), 0) FROM sku_doors"
        " WHERE sku = ? AND location = ?",
        (sku, location),
    ).fetchone()
    return StockLevel(total=total[0], available=free[0], minimum=minimum[0])


def available_units(
    conn: sqlite3.Connection, location: str, sku: str
) -> list[sqlite3.Row]:
    """Packages of the SKU in stock and free to reserve, oldest first."""
    return conn.execute(
        f"SELECT p.* {_IN_STOCK} AND p.id NOT IN ({_RESERVED}) ORDER BY p.id",
        (sku, location),
    ).fetchall()


def check_minimum(
    conn: sqlite3.Connection, location: str, sku: str, now: float
) -> None:
    """Tell the admins when the available stock falls below the minimum."""
    level = stock_level(conn, location, sku)
    if level.available < level.minimum:
        notify_admins(
            conn,
            STOCK_BELOW_MINIMUM,
            f"Stock of {sku} at {location} is {level.available},"
            f" below the minimum of {level.minimum}.",
            now,
            sku=sku,
            location=location,
            available=level.available,
            minimum=level.minimum,
        )
