"""Bearer-token checks: who is calling and whether their scope allows it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kiosk.emulator.clock import now
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import TERMINAL_SCOPE, ErrorCode
from kiosk.emulator.state import state_of
from kiosk.emulator.store.tokens import Client, client_for_token

_bearer = HTTPBearer(auto_error=False, description="Token from the token endpoint.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="konnect"'}


def require_scope(scope: str) -> Callable[..., Awaitable[Client]]:
    """A dependency giving the calling client, refusing other scopes with 403."""

    async def dependency(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    ) -> Client:
        """The client whose live token of `scope` this request carries."""
        if credentials is None:
            raise ApiError(
                401,
                ErrorCode.MISSING_TOKEN,
                "A bearer token is required.",
                "Authorization",
                _CHALLENGE,
            )
        state = state_of(request)
        with state.db.transaction() as conn:
            client = client_for_token(conn, credentials.credentials, now())
        if client is None:
            raise ApiError(
                401,
                ErrorCode.INVALID_TOKEN,
                "The bearer token is unknown or expired.",
                "Authorization",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if client.scope != scope:
            raise ApiError(
                403,
                ErrorCode.INSUFFICIENT_SCOPE,
                f"This call needs a token of scope '{scope}'.",
                "Authorization",
            )
        return client

    return dependency


def require_terminal_at(client: Client, location: str) -> None:
    """Refuse a terminal token used for a location it is not bound to."""
    if client.scope == TERMINAL_SCOPE and client.location != location:
        raise ApiError(
            403,
            ErrorCode.WRONG_LOCATION,
            f"This terminal is not bound to location '{location}'.",
            "location",
        )
