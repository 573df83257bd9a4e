"""The emulator's run-time settings, as the command line gives them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.emulator.konnect_assumptions import (
    DEFAULT_CODE_LIFETIME_S,
    DEFAULT_TOKEN_LIFETIME_S,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470
DEFAULT_DB = Path("var/emulator.sqlite3")


@dataclass(frozen=True)
class EmulatorSettings:
    """What one emulator process serves and where it keeps its state."""

    db_path: Path = DEFAULT_DB
    """SQLite file holding the whole state; created and seeded when new."""
    host: str = DEFAULT_HOST
    """Address to listen on; loopback by default."""
    port: int = DEFAULT_PORT
    """TCP port to listen on."""
    seed_path: Path | None = None
    """Seed file applied to a new or reset database; the demo seed if None."""
    reset: bool = False
    """Wipe the state and apply the seed again before serving."""
    token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S
    """Seconds an access token stays valid (`expires_in`)."""
    code_lifetime_s: int = DEFAULT_CODE_LIFETIME_S
    """Seconds a goods-in access code stays valid."""

    @property
    def url(self) -> str:
        """Base URL a client on this machine uses to reach the server."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"
