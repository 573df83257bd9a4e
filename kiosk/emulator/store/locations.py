"""Locations and the contents of their doors."""

from __future__ import annotations

import sqlite3

from kiosk.emulator.models.locations import (
    Address,
    DoorContents,
    DoorPackage,
    Location,
    LocationDoors,
)

_RESERVED_BY = (
    "SELECT op.reference FROM order_packages op JOIN orders o USING (reference)"
    " WHERE op.package_id = p.id AND o.state = 'active' AND op.collected = 0"
    " LIMIT 1"
)


def list_locations(conn: sqlite3.Connection) -> list[Location]:
    """Every location, in identifier order."""
    rows = conn.execute("SELECT * FROM locations ORDER BY identifier").fetchall()
    return [
        Location(
            name=row["name"],
            identifier=row["identifier"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            address=Address.model_validate_json(row["address"]),
        )
        for row in rows
    ]


def location_doors(conn: sqlite3.Connection, location: str) -> LocationDoors:
    """Every door at a location with its configuration and contents."""
    doors = conn.execute(
        "SELECT d.*, s.sku AS stock_sku, s.minimum_stock_level FROM doors d"
        " LEFT JOIN sku_doors s ON s.location = d.location AND s.door = d.identifier"
        " WHERE d.location = ? ORDER BY d.col, d.row",
        (location,),
    ).fetchall()
    packages = conn.execute(
        f"SELECT p.*, ({_RESERVED_BY}) AS reserved_by FROM packages p"
        " WHERE p.location = ? AND p.state = 'delivered' ORDER BY p.id",
        (location,),
    ).fetchall()
    access = conn.execute(
        "SELECT DISTINCT door, user FROM door_access WHERE location = ? ORDER BY user",
        (location,),
    ).fetchall()
    result = []
    for door in doors:
        inside = [
            DoorPackage(
                trackingNumber=p["tracking_number"],
                skuIdentifier=p["sku"],
                reservedBy=p["reserved_by"],
            )
            for p in packages
            if p["door"] == door["identifier"]
        ]
        result.append(
            DoorContents(
                identifier=door["identifier"],
                profile=door["profile"],
                size=door["size"],
                column=door["col"],
                row=door["row"],
                heightCm=door["height_cm"],
                enabled=bool(door["enabled"]),
                occupied=bool(inside),
                assignedUser=door["assigned_user"],
                stockSku=door["stock_sku"],
                minimumStockLevel=door["minimum_stock_level"],
                accessUsers=[
                    a["user"] for a in access if a["door"] == door["identifier"]
                ],
                packages=inside,
            )
        )
    return LocationDoors(location=location, doors=result)
