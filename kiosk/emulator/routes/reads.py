"""The emulator's own read endpoints: what a partner needs to see results.

None of these is in Konnect's guide; each says so in its OpenAPI description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.fields import Identifier
from kiosk.emulator.models.reads import (
    Notification,
    OrderState,
    PackageState,
    Sku,
    User,
)
from kiosk.emulator.state import state_of
from kiosk.emulator.store.notifications import list_notifications
from kiosk.emulator.store.orders import order_state
from kiosk.emulator.store.packages import package_state
from kiosk.emulator.store.skus import list_skus
from kiosk.emulator.store.tokens import Client
from kiosk.emulator.store.users import list_users

router = APIRouter(
    prefix=API_PREFIX,
    tags=["Emulator's own reads"],
    responses=error_responses(400, 401, 403),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.get(
    "/packages/{trackingNumber}",
    summary="A package's state and history (emulator's own)",
    response_model=PackageState,
    responses=error_responses(404),
)
async def package(trackingNumber: str, _: Partner, request: Request) -> PackageState:
    """**Emulator's own endpoint**, not in Konnect's guide.

    The newest package with this tracking number, with its history.
    """
    with state_of(request).db.transaction() as conn:
        return package_state(conn, trackingNumber)


@router.get(
    "/orders/{orderReference}",
    summary="An order's state (emulator's own)",
    response_model=OrderState,
    responses=error_responses(404),
)
async def order(orderReference: str, _: Partner, request: Request) -> OrderState:
    """**Emulator's own endpoint**, not in Konnect's guide.

    A job or inventory order with its packages and progress.
    """
    with state_of(request).db.transaction() as conn:
        return order_state(conn, orderReference)


@router.get(
    "/skus",
    summary="Every SKU (emulator's own)",
    response_model=list[Sku],
)
async def skus(_: Partner, request: Request) -> list[Sku]:
    """**Emulator's own endpoint**, not in Konnect's guide.

    Every SKU, serialised or not, with its barcode.
    """
    with state_of(request).db.transaction() as conn:
        return list_skus(conn)


@router.get(
    "/users",
    summary="Every user (emulator's own)",
    response_model=list[User],
)
async def users(_: Partner, request: Request) -> list[User]:
    """**Emulator's own endpoint**, not in Konnect's guide.

    Every user with their permanently assigned doors.
    """
    with state_of(request).db.transaction() as conn:
        return list_users(conn)


@router.get(
    "/notifications",
    summary="Notifications Konnect would have sent (emulator's own)",
    response_model=list[Notification],
)
async def notifications(
    _: Partner,
    request: Request,
    recipient: Annotated[
        Identifier | None, Query(description="Only this user's or client's.")
    ] = None,
    kind: Literal[
        "delivery_made",
        "package_assigned",
        "order_ready",
        "stock_below_minimum",
        "door_alarm",
    ]
    | None = None,
    channel: Literal["push", "email"] | None = None,
) -> list[Notification]:
    """**Emulator's own endpoint**, not in Konnect's guide.

    Push and email notifications, recorded instead of sent: every one is
    pushed to the recipient's app, and a user with an email address gets it by
    email too.
    """
    with state_of(request).db.transaction() as conn:
        return list_notifications(conn, recipient, kind, channel)
