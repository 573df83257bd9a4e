"""The seed file: the clients, locations, doors, users, SKUs and stock to start with."""

from __future__ import annotations

import json
import logging
import sqlite3
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from kiosk.emulator.clock import now
from kiosk.emulator.database import Database
from kiosk.emulator.konnect_assumptions import DOOR_PROFILES, DOOR_SIZES, USER_ROLES
from kiosk.emulator.models.locations import Address
from kiosk.emulator.store.packages import DELIVERED, add_package

logger = logging.getLogger(__name__)

DEMO_SEED = "demo_seed.json"


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}")
    return value


class SeedClient(BaseModel):
    """An OAuth client; a terminal client is bound to its location."""

    clientId: str
    secret: str
    scope: str
    preadviceEnabled: bool = False
    location: str | None = None
    user: str | None = None
    enabled: bool = True


class SeedDoor(BaseModel):
    """A door of a location."""

    identifier: str
    profile: str
    size: str
    column: int
    row: int
    heightCm: int
    enabled: bool = True

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        return _one_of(value, DOOR_PROFILES)

    @field_validator("size")
    @classmethod
    def _known_size(cls, value: str) -> str:
        return _one_of(value, DOOR_SIZES)


class SeedLocation(BaseModel):
    """A locker bank with its doors."""

    name: str
    identifier: str
    latitude: float
    longitude: float
    address: Address
    doors: list[SeedDoor]


class SeedUser(BaseModel):
    """A Carrier, Engineer or Admin; an engineer's PIN opens their work."""

    identifier: str
    name: str
    role: str
    enabled: bool = True
    pin: str | None = Field(default=None, pattern=r"^[0-9]{4,8}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        return _one_of(value, USER_ROLES)


class SeedSku(BaseModel):
    """A serialised SKU, or a non-serialised one with its barcode."""

    identifier: str
    name: str
    description: str
    serialised: bool
    barcode: str | None = None


class SeedStockDoor(BaseModel):
    """An inventory door stocking a SKU, with the units already inside."""

    sku: str
    location: str
    door: str
    minimumStockLevel: int = 0
    trackingNumbers: list[str] = Field(default_factory=list)


class Seed(BaseModel):
    """A whole seed file.

    It stands in for what an admin sets up in Konnect HQ, which the Partner API
    has no calls for: clients, users and whether each is enabled, locations and
    their doors. A bank set up differently is a seed file of its own.
    """

    clients: list[SeedClient]
    locations: list[SeedLocation]
    users: list[SeedUser]
    skus: list[SeedSku] = Field(default_factory=list)
    stockDoors: list[SeedStockDoor] = Field(default_factory=list)


def load_seed(path: Path | None) -> Seed:
    """The seed at `path`, or the demo seed shipped with the package."""
    if path is None:
        text = resources.files("kiosk.emulator").joinpath(DEMO_SEED).read_text()
    else:
        text = path.read_text(encoding="utf-8")
    return Seed.model_validate(json.loads(text))


def apply_seed(db: Database, seed: Seed) -> None:
    """Write the seed into an empty database.

    Raises:
        ValueError: The seed contradicts itself (a door or user twice, stock
            in a door that does not exist).
    """
    try:
        _write_seed(db, seed)
    except sqlite3.IntegrityError as error:
        raise ValueError(f"the seed is inconsistent: {error}") from error
    logger.info(
        "seeded %d locations, %d users, %d clients",
        len(seed.locations),
        len(seed.users),
        len(seed.clients),
    )


def _write_seed(db: Database, seed: Seed) -> None:
    at = now()
    with db.transaction() as conn:
        for c in seed.clients:
            conn.execute(
                "INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    c.clientId,
                    c.secret,
                    c.scope,
                    c.preadviceEnabled,
                    c.location,
                    c.user,
                    c.enabled,
                ),
            )
        for u in seed.users:
            conn.execute(
                "INSERT INTO users (identifier, name, role, enabled, pin, email)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (u.identifier, u.name, u.role, u.enabled, u.pin, u.email),
            )
        for loc in seed.locations:
            conn.execute(
                "INSERT INTO locations VALUES (?, ?, ?, ?, ?)",
                (
                    loc.identifier,
                    loc.name,
                    loc.latitude,
                    loc.longitude,
                    loc.address.model_dump_json(),
                ),
            )
            for d in loc.doors:
                conn.execute(
                    "INSERT INTO doors VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    (
                        loc.identifier,
                        d.identifier,
                        d.profile,
                        d.size,
                        d.column,
                        d.row,
                        d.heightCm,
                        d.enabled,
                    ),
                )
        for s in seed.skus:
            conn.execute(
                "INSERT INTO skus VALUES (?, ?, ?, ?, ?)",
                (s.identifier, s.name, s.description, s.serialised, s.barcode),
            )
        for stock in seed.stockDoors:
            conn.execute(
                "INSERT INTO sku_doors VALUES (?, ?, ?, ?)",
                (stock.location, stock.door, stock.sku, stock.minimumStockLevel),
            )
            for tracking_number in stock.trackingNumbers:
                add_package(
                    conn,
                    tracking_number,
                    stock.sku,
                    DELIVERED,
                    stock.location,
                    stock.door,
                    at,
                )
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', ?)", (str(at),))


def prepare(db: Database, seed_path: Path | None, reset: bool) -> None:
    """Wipe and re-seed when asked, and seed a database that is new.

    The seed is read before anything is wiped, so a bad seed file leaves the
    existing state as it was.
    """
    if not reset and db.is_seeded():
        return
    seed = load_seed(seed_path)
    if reset:
        logger.info("resetting the emulator state in %s", db.path)
        db.wipe()
    apply_seed(db, seed)
