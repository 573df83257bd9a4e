"""The SQLite schema of the emulator's state."""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    scope TEXT NOT NULL,
    preadvice_enabled INTEGER NOT NULL DEFAULT 0,
    location TEXT,
    user TEXT,
    enabled INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS locations (
    identifier TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    address TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doors (
    location TEXT NOT NULL REFERENCES locations(identifier),
    identifier TEXT NOT NULL,
    profile TEXT NOT NULL,
    size TEXT NOT NULL,
    col INTEGER NOT NULL,
    row INTEGER NOT NULL,
    height_cm INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    assigned_user TEXT,
    PRIMARY KEY (location, identifier)
);
CREATE TABLE IF NOT EXISTS users (
    identifier TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    pin TEXT,
    email TEXT
);
CREATE TABLE IF NOT EXISTS skus (
    identifier TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    serialised INTEGER NOT NULL,
    barcode TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS sku_doors (
    location TEXT NOT NULL,
    door TEXT NOT NULL,
    sku TEXT NOT NULL REFERENCES skus(identifier),
    minimum_stock_level INTEGER NOT NULL,
    PRIMARY KEY (location, door)
);
CREATE TABLE IF NOT EXISTS preadvices (
    tracking_number TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    client_id TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS packages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_number TEXT NOT NULL,
    sku TEXT,
    goods_in_id TEXT,
    state TEXT NOT NULL,
    location TEXT,
    door TEXT
);
CREATE INDEX IF NOT EXISTS packages_at ON packages (location, door, state);
CREATE INDEX IF NOT EXISTS packages_tracking ON packages (tracking_number);
CREATE TABLE IF NOT EXISTS package_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    package_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    at REAL NOT NULL,
    door TEXT
);
CREATE INDEX IF NOT EXISTS history_of ON package_history (package_id);
CREATE TABLE IF NOT EXISTS goods_in (
    id TEXT PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    location TEXT NOT NULL,
    sku TEXT,
    access_code TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    client_id TEXT NOT NULL,
    delivery_event_id TEXT
);
CREATE INDEX IF NOT EXISTS goods_in_code ON goods_in (location, access_code);
CREATE INDEX IF NOT EXISTS goods_in_tracking ON goods_in (tracking_number);
CREATE TABLE IF NOT EXISTS terminal_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    door TEXT NOT NULL,
    occurred_at REAL NOT NULL,
    recorded_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS alarms (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    door TEXT NOT NULL,
    occurred_at REAL NOT NULL,
    recorded_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS alarms_at ON alarms (location, occurred_at);
CREATE TABLE IF NOT EXISTS heartbeats (
    location TEXT PRIMARY KEY,
    at REAL NOT NULL,
    status TEXT NOT NULL,
    received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS collection_assignments (
    package_id INTEGER PRIMARY KEY,
    user TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    reference TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    completed_at REAL
);
CREATE TABLE IF NOT EXISTS order_packages (
    reference TEXT NOT NULL REFERENCES orders(reference),
    package_id INTEGER NOT NULL,
    tracking_number TEXT NOT NULL,
    location TEXT NOT NULL,
    door TEXT NOT NULL,
    sku TEXT,
    collected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (reference, package_id)
);
CREATE TABLE IF NOT EXISTS door_access (
    location TEXT NOT NULL,
    door TEXT NOT NULL,
    user TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (location, door, user, reference)
);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT NOT NULL,
    at REAL NOT NULL
);
"""

MIGRATIONS = (
    # Databases made before users had PINs.
    ("users", "pin", "ALTER TABLE users ADD COLUMN pin TEXT"),
    ("users", "email", "ALTER TABLE users ADD COLUMN email TEXT"),
)
"""Columns added since the first schema: (table, column, statement adding it)."""

INDEXES = "CREATE UNIQUE INDEX IF NOT EXISTS users_pin ON users (pin);"
"""Indexes on migrated columns, made once every migration has run."""

TABLES = (
    "notifications",
    "door_access",
    "order_packages",
    "orders",
    "collection_assignments",
    "heartbeats",
    "alarms",
    "terminal_events",
    "goods_in",
    "package_history",
    "packages",
    "preadvices",
    "sku_doors",
    "skus",
    "users",
    "doors",
    "locations",
    "tokens",
    "clients",
    "meta",
)
