"""Orders of both kinds: their state, and what deliveries and collections do."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.clock import to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ErrorCode
from kiosk.emulator.models.reads import OrderPackage, OrderState
from kiosk.emulator.store.notifications import ORDER_READY, notify
from kiosk.emulator.store.stock import check_minimum

Picked = tuple[int, str, str, str, str | None]
"""An order line: package id, tracking number, location, door and SKU."""


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
        _grant_door_access(conn, row["reference"], row["user"], package_id)
        notify_if_ready(conn, row["reference"], now)


def _grant_door_access(
    conn: sqlite3.Connection, reference: str, user: str, package_id: int
) -> None:
    """Let the order's user open the door the package is in, once it is in one.

    Before delivery the door an order names is only a guess, and may hold
    someone else's package, so it opens for nobody until the package is there.
    """
    conn.execute(
        "INSERT OR IGNORE INTO door_access (location, door, user, reference)"
        " SELECT location, door, ?, ? FROM packages"
        " WHERE id = ? AND state = 'delivered'",
        (user, reference, package_id),
    )


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


def refuse_duplicate(conn: sqlite3.Connection, reference: str) -> None:
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


def insert_order(
    conn: sqlite3.Connection,
    reference: str,
    kind: str,
    user: str,
    picked: list[Picked],
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
        _grant_door_access(conn, reference, user, package_id)


def notify_if_ready(conn: sqlite3.Connection, reference: str, now: float) -> None:
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
