"""The guide's pick-up and drop-off calls: permanent doors and temporary access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.clock import now
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.fields import Identifier
from kiosk.emulator.models.partner import CollectionAssignmentRequest, Ok
from kiosk.emulator.state import state_of
from kiosk.emulator.store.tokens import Client
from kiosk.emulator.store.users import assign_collection, assign_door

router = APIRouter(
    prefix=f"{API_PREFIX}/users",
    tags=["Pick up and drop off"],
    responses=error_responses(400, 401, 403, 404, 409),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.post(
    "/{identifier}/door/{doorIdentifier}",
    summary="Permanently assign a locker to a user",
    response_model=Ok,
)
async def door(
    identifier: str,
    doorIdentifier: str,
    _: Partner,
    request: Request,
    locationIdentifier: Annotated[
        Identifier | None,
        Query(
            description="Emulator's own addition: needed only when the door "
            "identifier exists at more than one location.",
        ),
    ] = None,
) -> Ok:
    """Assign a door to a user for good. 409 if another user has it, or if it
    holds packages; assigning it to the same user again is a harmless 200."""
    with state_of(request).db.transaction() as conn:
        assign_door(conn, identifier, doorIdentifier, locationIdentifier)
    return Ok(status="ok")


@router.post(
    "/{userIdentifier}/packagecollectionassignments",
    summary="Assign a package to the user who will collect it",
    response_model=Ok,
)
async def collection(
    userIdentifier: str,
    body: CollectionAssignmentRequest,
    _: Partner,
    request: Request,
) -> Ok:
    """Temporary access: the user may collect this package, and is notified."""
    with state_of(request).db.transaction() as conn:
        assign_collection(conn, userIdentifier, body.barcode, now())
    return Ok(status="ok")
