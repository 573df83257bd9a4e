"""The SQLite connection holding the emulator's whole state.

The server runs its handlers on one event loop and calls this synchronously, so
every transaction is serialised: two concurrent requests with the same
idempotency key cannot both see "not yet recorded". The lock below keeps that
true if a handler ever runs on a worker thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.emulator.schema import INDEXES, MIGRATIONS, SCHEMA, SCHEMA_VERSION, TABLES


class Database:
    """One SQLite file in WAL mode, opened for the life of the server."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the database at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a process crash, which is all an emulator
        # restart needs, and keeps goods-in creation fast.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Add the columns a database made by an older emulator lacks."""
        for table, column, statement in MIGRATIONS:
            columns = {
                row["name"] for row in self._conn.execute(f"PRAGMA table_info({table})")
            }
            if column not in columns:
                self._conn.execute(statement)
        self._conn.executescript(INDEXES)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed on success and rolled back on error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def is_seeded(self) -> bool:
        """Whether a seed has been applied to this database."""
        with self._lock:
            row = self._conn.execute(
                "SELECT value FROM meta WHERE key = 'seeded'"
            ).fetchone()
        return row is not None

    def wipe(self) -> None:
        """Delete every row of every table."""
        with self.transaction() as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?)",
                (str(SCHEMA_VERSION),),
            )

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
