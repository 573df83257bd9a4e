"""The guide's inventory calls: SKUs, pre-advice, stock doors, stock summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.clock import now
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.partner import (
    NsiSkuRequest,
    Ok,
    PreadviceRequest,
    SkuDoorRequest,
    SkuRequest,
    StockSummary,
)
from kiosk.emulator.state import state_of
from kiosk.emulator.store.skus import (
    assign_stock_door,
    create_sku,
    preadvise,
    stock_summary,
)
from kiosk.emulator.store.tokens import Client

router = APIRouter(
    prefix=API_PREFIX,
    tags=["Inventory"],
    responses=error_responses(400, 401, 403, 404, 409),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.post("/skus", summary="Create a serialised SKU", response_model=Ok)
@router.post("/skus/", include_in_schema=False, response_model=Ok)
async def serialised(body: SkuRequest, _: Partner, request: Request) -> Ok:
    """Create a SKU whose every unit has its own tracking number. The guide
    writes the URI with a trailing slash; both forms are served."""
    with state_of(request).db.transaction() as conn:
        create_sku(conn, body)
    return Ok(status="ok")


@router.post("/skus/nsi", summary="Create a non-serialised SKU", response_model=Ok)
async def non_serialised(body: NsiSkuRequest, _: Partner, request: Request) -> Ok:
    """Create a SKU whose units all carry one barcode. 409
    `duplicate_barcode` if another SKU has it, `barcode_preadvised` if a
    serialised unit is pre-advised under it."""
    with state_of(request).db.transaction() as conn:
        create_sku(conn, body)
    return Ok(status="ok")


@router.post(
    "/skus/{identifier}/preadvice",
    summary="Pre-advise a unit of a serialised SKU",
    response_model=Ok,
)
async def preadvice(
    identifier: str, body: PreadviceRequest, client: Partner, request: Request
) -> Ok:
    """Say which serialised SKU a coming tracking number holds. A
    non-serialised SKU is refused with 409: it is pre-advised by its barcode.
    So is a tracking number that is a non-serialised SKU's barcode (409
    `tracking_number_is_sku_barcode`)."""
    with state_of(request).db.transaction() as conn:
        preadvise(conn, identifier, body, client, now())
    return Ok(status="ok")


@router.post(
    "/skus/{identifier}/doors",
    summary="Make a door a stock location of a SKU",
    response_model=Ok,
)
async def stock_door(
    identifier: str, body: SkuDoorRequest, _: Partner, request: Request
) -> Ok:
    """Allocate an Inventory door to the SKU with a minimum stock level.
    Calling it again for the same SKU updates the minimum."""
    with state_of(request).db.transaction() as conn:
        assign_stock_door(conn, identifier, body, now())
    return Ok(status="ok")


@router.get(
    "/locations/{locationIdentifier}/skus/{skuIdentifier}/summary",
    summary="Stock level of a SKU at a location",
    response_model=StockSummary,
)
async def summary(
    locationIdentifier: str, skuIdentifier: str, _: Partner, request: Request
) -> StockSummary:
    """Units in the SKU's stock doors, and those left after active orders."""
    with state_of(request).db.transaction() as conn:
        return stock_summary(conn, locationIdentifier, skuIdentifier)
