"""`POST /Auth/core/connect/token`: OAuth 2 client credentials (RFC 6749 4.4)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kiosk.emulator.clock import now
from kiosk.emulator.konnect_assumptions import (
    GRANT_TYPE,
    INVALID_CLIENT_STATUS,
    OAUTH_ERROR_STATUS,
    TOKEN_CONTENT_TYPES,
    TOKEN_PATH,
    TOKEN_TYPE,
    OAuthError,
)
from kiosk.emulator.models.token import (
    TOKEN_FORM_SCHEMA,
    OAuthErrorBody,
    TokenResponse,
)
from kiosk.emulator.state import state_of
from kiosk.emulator.store.tokens import authenticate_client, issue_token

router = APIRouter(tags=["Authentication"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_FORM = TOKEN_CONTENT_TYPES[0]


def _refuse(error: str, description: str) -> JSONResponse:
    invalid_client = error == OAuthError.INVALID_CLIENT
    status = INVALID_CLIENT_STATUS if invalid_client else OAUTH_ERROR_STATUS
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="konnect"'
    body = OAuthErrorBody(error=error, error_description=description)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """Client id and secret from HTTP Basic, which RFC 6749 2.3.1 also allows."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None


@router.post(
    TOKEN_PATH,
    summary="Get an access token (client credentials)",
    response_model=TokenResponse,
    responses={
        400: {"model": OAuthErrorBody, "description": "RFC 6749 error."},
        401: {"model": OAuthErrorBody, "description": "Unknown client or secret."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {_FORM: {"schema": TOKEN_FORM_SCHEMA}},
        }
    },
)
async def token(request: Request) -> JSONResponse:
    """Exchange client credentials for a bearer token, as the guide's step 1.

    The body is a form. Its `Content-Type` may be
    `application/x-www-form-urlencoded`, or `x-www-form-urlencoded` exactly as
    the guide writes it; any other type is refused with 400 `invalid_request`.
    Client credentials may come in the form or by HTTP Basic.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type.lower() not in TOKEN_CONTENT_TYPES:
        return _refuse(OAuthError.INVALID_REQUEST, f"The body must be {_FORM}.")
    try:
        raw = (await request.body()).decode("utf-8")
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=bool(raw))
    except (UnicodeDecodeError, ValueError):
        return _refuse(OAuthError.INVALID_REQUEST, "The form body is malformed.")
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:
            return _refuse(OAuthError.INVALID_REQUEST, f"'{key}' is repeated.")
        form[key] = value

    grant_type = form.get("grant_type")
    if not grant_type:
        return _refuse(OAuthError.INVALID_REQUEST, "'grant_type' is required.")
    basic = _basic_credentials(request.headers.get("authorization"))
    client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
    if not client_id or secret is None:
        return _refuse(OAuthError.INVALID_CLIENT, "Client authentication failed.")

    state = state_of(request)
    with state.db.transaction() as conn:
        client = authenticate_client(conn, client_id, secret)
        if client is None:
            return _refuse(OAuthError.INVALID_CLIENT, "Client authentication failed.")
        if grant_type != GRANT_TYPE:
            return _refuse(
                OAuthError.UNSUPPORTED_GRANT_TYPE,
                f"Only '{GRANT_TYPE}' is supported.",
            )
        scope = form.get("scope")
        # An absent scope means the client's own, as RFC 6749 3.3 allows.
        if scope is not None and scope.split() != [client.scope]:
            return _refuse(
                OAuthError.INVALID_SCOPE,
                f"This client may request only the scope '{client.scope}'.",
            )
        lifetime = state.settings.token_lifetime_s
        access_token = issue_token(conn, client, now(), lifetime)
    body = TokenResponse(
        access_token=access_token, expires_in=lifetime, token_type=TOKEN_TYPE
    )
    return JSONResponse(body.model_dump(), headers=_NO_STORE)
