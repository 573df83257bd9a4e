"""The guide's orders: job orders and inventory orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.clock import now
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.partner import InventoryOrderRequest, JobOrderRequest
from kiosk.emulator.models.reads import OrderState
from kiosk.emulator.state import state_of
from kiosk.emulator.store.inventory_orders import create_inventory_order
from kiosk.emulator.store.job_orders import create_job_order
from kiosk.emulator.store.tokens import Client

router = APIRouter(
    prefix=f"{API_PREFIX}/orders",
    tags=["Orders"],
    responses=error_responses(400, 401, 403, 404, 409),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.post("/job", summary="Create a job order", response_model=OrderState)
async def job(body: JobOrderRequest, _: Partner, request: Request) -> OrderState:
    """Give an engineer access to the doors holding the packages. The order
    completes, and that access ends, once every package is collected. The
    guide documents a bare 200; the emulator returns the order."""
    with state_of(request).db.transaction() as conn:
        return create_job_order(conn, body, now())


@router.post(
    "/inventory",
    summary="Create an inventory order (clear form)",
    response_model=OrderState,
)
async def inventory(
    body: InventoryOrderRequest, _: Partner, request: Request
) -> OrderState:
    """**Emulator's clear form** of the guide's inventory-order call: the same
    body, each SKU line naming its SKU and location. Reserves stock; 409
    `insufficient_stock` when there is not enough available."""
    with state_of(request).db.transaction() as conn:
        return create_inventory_order(conn, body, now())


@router.post(
    "/{locationIdentifier}/skus/{skuIdentifier}/summary",
    summary="Create an inventory order (the guide's URI)",
    response_model=OrderState,
)
async def inventory_as_guide(
    locationIdentifier: str,
    skuIdentifier: str,
    body: InventoryOrderRequest,
    _: Partner,
    request: Request,
) -> OrderState:
    """The URI exactly as the guide shows it, taking as the request body what
    the guide labels "Response Body". SKU lines that omit `sku` or the location
    take them from the URI; lines that name others must agree with it or be
    refused with 400. Prefer `POST /Api/orders/inventory`."""
    with state_of(request).db.transaction() as conn:
        return create_inventory_order(
            conn, body, now(), locationIdentifier, skuIdentifier
        )
