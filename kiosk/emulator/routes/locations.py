"""Locations: the guide's `GET /Api/locations` and the emulator's door view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kiosk.emulator.auth import require_scope
from kiosk.emulator.errors import error_responses
from kiosk.emulator.konnect_assumptions import API_PREFIX, PARTNER_SCOPE
from kiosk.emulator.models.locations import Location, LocationDoors
from kiosk.emulator.models.terminal import LastHeartbeat, ReportedAlarm
from kiosk.emulator.state import state_of
from kiosk.emulator.store.alarms import list_alarms
from kiosk.emulator.store.heartbeats import last_heartbeat
from kiosk.emulator.store.locations import list_locations, location_doors
from kiosk.emulator.store.lookups import require_location
from kiosk.emulator.store.tokens import Client

router = APIRouter(
    prefix=API_PREFIX,
    tags=["Locations"],
    responses=error_responses(400, 401, 403),
)
Partner = Annotated[Client, Depends(require_scope(PARTNER_SCOPE))]


@router.get("/locations", summary="List your locations", response_model=list[Location])
async def locations(_: Partner, request: Request) -> list[Location]:
    """Every location, as a JSON array of the guide's location objects.

    The guide says this returns "a list of all your locations" but its example
    shows a single object; the emulator returns an array of such objects.
    """
    with state_of(request).db.transaction() as conn:
        return list_locations(conn)


@router.get(
    "/locations/{locationIdentifier}/doors",
    summary="A location's doors and contents (emulator's own)",
    response_model=LocationDoors,
    responses=error_responses(404),
)
async def doors(locationIdentifier: str, _: Partner, request: Request) -> LocationDoors:
    """**Emulator's own endpoint**, not in Konnect's guide.

    Every door with its profile, position, assignments, stock SKU and the
    packages inside.
    """
    with state_of(request).db.transaction() as conn:
        require_location(conn, locationIdentifier, "locationIdentifier")
        return location_doors(conn, locationIdentifier)


@router.get(
    "/locations/{locationIdentifier}/heartbeat",
    summary="The terminal's latest heartbeat (emulator's own)",
    response_model=LastHeartbeat,
    responses=error_responses(404),
)
async def heartbeat(
    locationIdentifier: str, _: Partner, request: Request
) -> LastHeartbeat:
    """**Emulator's own endpoint**, not in Konnect's guide.

    The latest heartbeat the location's terminal sent, with its status.
    """
    with state_of(request).db.transaction() as conn:
        require_location(conn, locationIdentifier, "locationIdentifier")
        return last_heartbeat(conn, locationIdentifier)


@router.get(
    "/locations/{locationIdentifier}/alarms",
    summary="Door alarms the terminal reported (emulator's own)",
    response_model=list[ReportedAlarm],
    responses=error_responses(404),
)
async def alarms(
    locationIdentifier: str, _: Partner, request: Request
) -> list[ReportedAlarm]:
    """**Emulator's own endpoint**, not in Konnect's guide.

    Every door alarm the location's terminal reported, in the order they
    happened: doors forced open, doors left open, and doors in alarm shut again.
    """
    with state_of(request).db.transaction() as conn:
        require_location(conn, locationIdentifier, "locationIdentifier")
        return list_alarms(conn, locationIdentifier)
