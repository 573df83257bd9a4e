"""The stable error body and the handlers that make every failure use it.

Every error outside the token endpoint is `{"error", "message", "field"}`.
FastAPI's 422 for validation becomes 400, and unknown routes and methods get
the same shape, so a client needs one parser for every failure.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.emulator.konnect_assumptions import ErrorCode

logger = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every error response outside the token endpoint."""

    error: str = Field(description="Stable snake_case code naming the rule.")
    message: str = Field(description="A human sentence.")
    field: str | None = Field(description="The offending field, if any.")


class ApiError(Exception):
    """A refusal with its status and stable body."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(error=error, message=message, field=field)
        self.headers = headers


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting the error body for `statuses`."""
    return {status: {"model": ErrorBody} for status in statuses}


_SOURCES = ("body", "query", "path", "header", "cookie")
"""Where FastAPI says a value came from: the first part of its error location."""


def _field_of(location: tuple[Any, ...] | list[Any]) -> str | None:
    """The dotted path of the offending field, if any, e.g. `skus.0.quantity`.

    List indices stay in, as the business rules write them, so one field name
    means one place whichever check refused it.
    """
    parts = [str(part) for part in location]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts) if parts else None


async def _on_api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        exc.body.model_dump(), status_code=exc.status, headers=exc.headers
    )


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {}
    kind = str(first.get("type", ""))
    field = _field_of(first.get("loc", ()))
    if kind == "json_invalid" or field is None:
        body = ErrorBody(
            error=ErrorCode.MALFORMED_REQUEST,
            message="The request body is not the JSON object this call expects.",
            field=field,
        )
    else:
        detail = str(first.get("msg", "is invalid"))
        body = ErrorBody(
            error=ErrorCode.INVALID_FIELD,
            message=f"Field '{field}': {detail}.",
            field=field,
        )
    return JSONResponse(body.model_dump(), status_code=400)


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        error, message = ErrorCode.NOT_FOUND, "No such resource."
    elif exc.status_code == 405:
        error, message = ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed here."
    else:
        error, message = ErrorCode.MALFORMED_REQUEST, str(exc.detail)
    body = ErrorBody(error=error, message=message, field=None)
    return JSONResponse(
        body.model_dump(), status_code=exc.status_code, headers=exc.headers
    )


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    # A 500 is a bug in the emulator; log it loudly so a test run shows it.
    logger.exception("unhandled error", exc_info=exc)
    body = ErrorBody(error="internal_error", message="Emulator fault.", field=None)
    return JSONResponse(body.model_dump(), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure to the stable error body."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
