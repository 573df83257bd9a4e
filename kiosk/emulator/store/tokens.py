"""OAuth 2 clients and the bearer tokens issued to them."""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Client:
    """A registered API client."""

    client_id: str
    scope: str
    preadvice_enabled: bool
    location: str | None
    user: str | None


def authenticate_client(
    conn: sqlite3.Connection, client_id: str, secret: str
) -> Client | None:
    """The client if the id and secret match an enabled client."""
    row = conn.execute(
        "SELECT * FROM clients WHERE client_id = ? AND enabled = 1", (client_id,)
    ).fetchone()
    if row is None or not hmac.compare_digest(
        str(row["secret"]).encode(), secret.encode()
    ):
        return None
    return _client(row)


def issue_token(
    conn: sqlite3.Connection, client: Client, now: float, lifetime_s: int
) -> str:
    """A new bearer token for `client`, valid for `lifetime_s` seconds."""
    token = secrets.token_urlsafe(32)
    conn.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
    conn.execute(
        "INSERT INTO tokens (token, client_id, scope, expires_at) VALUES (?, ?, ?, ?)",
        (token, client.client_id, client.scope, now + lifetime_s),
    )
    return token


def client_for_token(conn: sqlite3.Connection, token: str, now: float) -> Client | None:
    """The client a live token was issued to, or None if unknown or expired."""
    row = conn.execute(
        "SELECT clients.* FROM tokens JOIN clients USING (client_id)"
        " WHERE token = ? AND expires_at > ? AND clients.enabled = 1",
        (token, now),
    ).fetchone()
    return None if row is None else _client(row)


def _client(row: sqlite3.Row) -> Client:
    return Client(
        client_id=row["client_id"],
        scope=row["scope"],
        preadvice_enabled=bool(row["preadvice_enabled"]),
        location=row["location"],
        user=row["user"],
    )
