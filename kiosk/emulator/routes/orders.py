"""The guide's orders: job orders and inventory orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.clock import now
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.partner import (
    InventoryOrderRequest,
    InventoryOrderState,
    JobOrderRequest,
)
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
    """Give an engineer access to the doors holding the packages. A package
    not yet delivered gives access to the door it is delivered into, whatever
    door the order named, and to none before. The order completes, and that
    access ends, once every package is collected. The guide documents a bare
    200; the emulator returns the order."""
    with state_of(request).db.transaction() as conn:
        return create_job_order(conn, body, now())


@router.post(
    "/inventory",
    summary="Create an inventory order (clear form, emulator's own)",
    response_model=InventoryOrderState,
)
async def inventory(
    body: InventoryOrderRequest, _: Partner, request: Request
) -> InventoryOrderState:
    """**Emulator's own endpoint**: the clear form of the guide's
    inventory-order call, not in Konnect's guide. The same body, each SKU line
    naming its SKU and location. Reserves stock; 409 `insufficient_stock` when
    there is not enough available.

    The answer is the body the guide shows (`orderReference`, `user`, `skus`
    with `sku`, `quantity`, `location`, `locationIdentifier` and `barcodes`:
    what was reserved) beside the order fields the emulator adds (`kind`,
    `state`, `createdAt`, `completedAt`, `packages`)."""
    with state_of(request).db.transaction() as conn:
        return create_inventory_order(conn, body, now())


@router.post(
    "/{locationIdentifier}/skus/{skuIdentifier}/summary",
    summary="Create an inventory order (the guide's URI)",
    response_model=InventoryOrderState,
)
async def inventory_as_guide(
    locationIdentifier: str,
    skuIdentifier: str,
    body: InventoryOrderRequest,
    _: Partner,
    request: Request,
) -> InventoryOrderState:
    """The URI exactly as the guide shows it. The guide labels its body
    "Response Body", so it is taken both ways: as the request body, and as
    the answer (`orderReference`, `user`, `skus` with `sku`, `quantity`,
    `location`, `locationIdentifier` and `barcodes`: what was reserved) beside
    the order fields the emulator adds. SKU lines that omit `sku` or the
    location take them from the URI; lines that name others must agree with it
    or be refused with 400. Prefer `POST /Api/orders/inventory`."""
    with state_of(request).db.transaction() as conn:
        return create_inventory_order(
            conn, body, now(), locationIdentifier, skuIdentifier
        )
