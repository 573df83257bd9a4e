"""Goods-in: the guide's pre-advice for couriers, and the emulator's listing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.clock import now
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.fields import Identifier
from kiosk.emulator.models.partner import GoodsInRequest, GoodsInResponse
from kiosk.emulator.models.reads import OpenGoodsIn
from kiosk.emulator.state import state_of
from kiosk.emulator.store.goods_in import create_goods_in, open_goods_in
from kiosk.emulator.store.lookups import require_location
from kiosk.emulator.store.tokens import Client

router = APIRouter(
    prefix=API_PREFIX,
    tags=["Goods-in"],
    responses=error_responses(400, 401, 403, 404),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.post(
    "/goodsin",
    summary="Notify Konnect of an upcoming delivery",
    response_model=GoodsInResponse,
    responses=error_responses(409),
)
async def create(
    body: GoodsInRequest, client: Partner, request: Request
) -> GoodsInResponse:
    """Create the access code a courier types at the terminal.

    Needs pre-advice enabled for the client, an enabled client user, a known
    location and an enabled delivery door there. The guide documents only
    "HTTP 200"; the emulator returns the code it created.
    """
    state = state_of(request)
    with state.db.transaction() as conn:
        return create_goods_in(
            conn, client, body, now(), state.settings.code_lifetime_s
        )


@router.get(
    "/goodsin",
    summary="Open goods-ins with their codes (emulator's own)",
    response_model=list[OpenGoodsIn],
)
async def list_open(
    _: Partner,
    request: Request,
    locationIdentifier: Annotated[
        Identifier | None, Query(description="Only this location's goods-ins.")
    ] = None,
) -> list[OpenGoodsIn]:
    """**Emulator's own endpoint**: goods-ins whose access codes are live, so
    that test labels can be printed."""
    with state_of(request).db.transaction() as conn:
        if locationIdentifier is not None:
            require_location(conn, locationIdentifier, "locationIdentifier")
        return open_goods_in(conn, locationIdentifier, now())
