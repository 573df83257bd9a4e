"""The terminal API: the project's own contract between terminal and Konnect.

Konnect's real terminal API is private; these paths and bodies are this
project's definition, and the terminal's client is written to them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response

from kiosk.emulator.auth import require_scope, require_terminal_at
from kiosk.emulator.clock import now, to_iso
from kiosk.emulator.errors import ApiError, error_responses
from kiosk.emulator.konnect_assumptions import (
    TERMINAL_PREFIX,
    TERMINAL_SCOPE,
    ErrorCode,
)
from kiosk.emulator.models.terminal import (
    AlarmRequest,
    CollectionRequest,
    DeliveryRequest,
    EventReceipt,
    HeartbeatRequest,
    RestockRequest,
    TerminalDoors,
    TerminalWork,
    VerifiedCode,
    VerifyCodeRequest,
    WorkGoodsIn,
)
from kiosk.emulator.state import state_of
from kiosk.emulator.store.alarms import record_alarm
from kiosk.emulator.store.goods_in import open_goods_in, verify_code
from kiosk.emulator.store.heartbeats import record_heartbeat
from kiosk.emulator.store.lookups import require_location
from kiosk.emulator.store.restock import record_restock
from kiosk.emulator.store.terminal import (
    engineers_work,
    record_collection,
    record_delivery,
    terminal_doors,
)
from kiosk.emulator.store.tokens import Client

router = APIRouter(
    prefix=f"{TERMINAL_PREFIX}/locations/{{location}}",
    tags=["Terminal API (project-defined)"],
    responses=error_responses(400, 401, 403, 404),
)
Terminal = Annotated[Client, Depends(require_scope(TERMINAL_SCOPE))]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        description="Must equal the body's `eventId`.",
        min_length=1,
        max_length=200,
    ),
]


def _record_once(
    request: Request,
    response: Response,
    location: str,
    body: Any,
    record: Callable[[sqlite3.Connection, str, Any, float], EventReceipt],
) -> EventReceipt:
    """Record a reported event; 201 the first time, 200 `duplicate` after."""
    with state_of(request).db.transaction() as conn:
        receipt = record(conn, location, body, now())
    response.status_code = 201 if receipt.status == "recorded" else 200
    return receipt


def _check_key(key: str, event_id: str) -> None:
    if key != event_id:
        raise ApiError(
            400,
            ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
            "The Idempotency-Key header must equal the body's eventId.",
            "eventId",
        )


@router.get("/doors", summary="The location's doors", response_model=TerminalDoors)
async def doors(location: str, client: Terminal, request: Request) -> TerminalDoors:
    """Every door at the location; `occupied` means it holds an uncollected package."""
    require_terminal_at(client, location)
    with state_of(request).db.transaction() as conn:
        require_location(conn, location, "location")
        return terminal_doors(conn, location)


@router.get(
    "/work",
    summary="The location's open work, for offline operation",
    response_model=TerminalWork,
)
async def work(location: str, client: Terminal, request: Request) -> TerminalWork:
    """Live goods-in codes and engineers' work here, so the terminal goes on offline."""
    require_terminal_at(client, location)
    moment = now()
    with state_of(request).db.transaction() as conn:
        require_location(conn, location, "location")
        live = open_goods_in(conn, location, moment)
        engineers = engineers_work(conn, location)
    return TerminalWork(
        location=location,
        generatedAt=to_iso(moment),
        goodsIn=[
            WorkGoodsIn(
                goodsInId=g.goodsInId,
                accessCode=g.accessCode,
                trackingNumber=g.trackingNumber,
                skuIdentifier=g.skuIdentifier,
                expiresAt=g.expiresAt,
            )
            for g in live
        ],
        engineers=engineers,
    )


@router.post(
    "/codes/verify",
    summary="Verify an access code",
    response_model=VerifiedCode,
    responses=error_responses(410),
)
async def verify(
    location: str, body: VerifyCodeRequest, client: Terminal, request: Request
) -> VerifiedCode:
    """What a code typed at the terminal allows. 404 unknown, 410 expired or used."""
    require_terminal_at(client, location)
    with state_of(request).db.transaction() as conn:
        return verify_code(conn, location, body.code, now())


@router.post(
    "/deliveries",
    summary="Report a delivery (idempotent)",
    status_code=201,
    response_model=EventReceipt,
    responses={
        200: {"model": EventReceipt, "description": "Already recorded."},
        **error_responses(409),
    },
)
async def deliveries(
    location: str,
    body: DeliveryRequest,
    client: Terminal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> EventReceipt:
    """Record a delivery once: 201 the first time, 200 `duplicate` after."""
    require_terminal_at(client, location)
    _check_key(idempotency_key, body.eventId)
    return _record_once(request, response, location, body, record_delivery)


@router.post(
    "/collections",
    summary="Report a collection (idempotent)",
    status_code=201,
    response_model=EventReceipt,
    responses={
        200: {"model": EventReceipt, "description": "Already recorded."},
        **error_responses(409),
    },
)
async def collections(
    location: str,
    body: CollectionRequest,
    client: Terminal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> EventReceipt:
    """Record a collection once; completes orders whose packages are all out."""
    require_terminal_at(client, location)
    _check_key(idempotency_key, body.eventId)
    return _record_once(request, response, location, body, record_collection)


@router.post(
    "/restocks",
    summary="Report a unit put into a stock door (idempotent)",
    status_code=201,
    response_model=EventReceipt,
    responses={
        200: {"model": EventReceipt, "description": "Already recorded."},
        **error_responses(409),
    },
)
async def restocks(
    location: str,
    body: RestockRequest,
    client: Terminal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> EventReceipt:
    """Record a unit of a SKU put into that SKU's stock door; stock rises."""
    require_terminal_at(client, location)
    _check_key(idempotency_key, body.eventId)
    return _record_once(request, response, location, body, record_restock)


@router.post(
    "/alarms",
    summary="Report a door alarm (idempotent)",
    status_code=201,
    response_model=EventReceipt,
    responses={
        200: {"model": EventReceipt, "description": "Already recorded."},
        **error_responses(409),
    },
)
async def alarms(
    location: str,
    body: AlarmRequest,
    client: Terminal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> EventReceipt:
    """Record a door forced open, left open, or shut again after either, once.

    The location's admins are notified. 404 for a door the location lacks.
    """
    require_terminal_at(client, location)
    _check_key(idempotency_key, body.eventId)
    return _record_once(request, response, location, body, record_alarm)


@router.post("/heartbeat", summary="Report that the terminal is alive", status_code=204)
async def heartbeat(
    location: str, body: HeartbeatRequest, client: Terminal, request: Request
) -> Response:
    """Keep the terminal's latest status."""
    require_terminal_at(client, location)
    with state_of(request).db.transaction() as conn:
        record_heartbeat(conn, location, body, now())
    return Response(status_code=204)
