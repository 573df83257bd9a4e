"""Bodies of the terminal API, the project's own contract with the terminal."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kiosk.emulator.models.fields import (
    MAX_JSON_BYTES,
    MAX_JSON_DEPTH,
    Identifier,
    JsonObject,
    Timestamp,
)


class TerminalDoor(BaseModel):
    """A door as the terminal needs to know it."""

    identifier: str
    profile: str
    size: str
    column: int
    row: int = Field(description="1 is the bottom row.")
    heightCm: int = Field(description="Height of the door's bottom from the floor.")
    enabled: bool
    occupied: bool = Field(description="Holds a delivered, uncollected package.")


class TerminalDoors(BaseModel):
    """Every door at the terminal's location."""

    location: str
    doors: list[TerminalDoor]


class VerifyCodeRequest(BaseModel):
    """An access code typed at the terminal."""

    code: Identifier


class VerifiedCode(BaseModel):
    """What a valid access code lets the courier do."""

    kind: Literal["goodsIn"]
    goodsInId: str
    trackingNumber: str
    skuIdentifier: str | None
    expiresAt: str = Field(description="ISO-8601 UTC.")


class DeliveryRequest(BaseModel):
    """A delivery the terminal observed; `eventId` is its idempotency key."""

    eventId: Identifier
    goodsInId: Identifier
    trackingNumber: Identifier
    door: Identifier
    occurredAt: Timestamp


class CollectionRequest(BaseModel):
    """A collection the terminal observed; `eventId` is its idempotency key."""

    eventId: Identifier
    trackingNumber: Identifier
    door: Identifier
    occurredAt: Timestamp
    userIdentifier: Identifier | None = None


class RestockRequest(BaseModel):
    """A unit put into its SKU's stock door; `eventId` is its idempotency key."""

    eventId: Identifier
    skuIdentifier: Identifier
    trackingNumber: Identifier
    door: Identifier
    occurredAt: Timestamp


AlarmKind = Literal["forced_open", "left_open", "cleared"]
"""A door forced open, a door left open past its limit, or a door in alarm shut."""


class AlarmRequest(BaseModel):
    """A door alarm the terminal raised; `eventId` is its idempotency key."""

    eventId: Identifier
    kind: AlarmKind = Field(
        description="`forced_open`: the door opened with no unlock by the "
        "terminal; `left_open`: it stayed open past the terminal's limit; "
        "`cleared`: a door in alarm has shut again."
    )
    door: Identifier
    occurredAt: Timestamp


class ReportedAlarm(BaseModel):
    """A door alarm a location's terminal reported (emulator's own)."""

    eventId: str
    kind: AlarmKind
    door: str
    occurredAt: str = Field(description="When the terminal saw it, ISO-8601 UTC.")
    receivedAt: str = Field(description="When the emulator received it.")


class EventReceipt(BaseModel):
    """The answer to a reported event."""

    eventId: str
    status: Literal["recorded", "duplicate"]


class HeartbeatRequest(BaseModel):
    """A terminal's periodic sign of life."""

    at: Timestamp
    status: JsonObject = Field(
        description="Free-form terminal status: a JSON object nesting at most "
        f"{MAX_JSON_DEPTH} levels and taking at most {MAX_JSON_BYTES} bytes, "
        "with finite numbers, integers within plus or minus 2**53 - 1 and valid "
        "Unicode text. Anything else is refused with 400."
    )


class LastHeartbeat(BaseModel):
    """The latest heartbeat of a location's terminal (emulator's own)."""

    location: str
    at: str = Field(description="When the terminal sent it, ISO-8601 UTC.")
    receivedAt: str = Field(description="When the emulator received it.")
    status: dict[str, Any] | None = Field(
        description="The status as sent; null if what is stored cannot be read "
        "back as such (kept by an emulator that did not yet check it)."
    )


class WorkGoodsIn(BaseModel):
    """A live goods-in code, for the terminal's offline cache."""

    goodsInId: str
    accessCode: str = Field(
        description="Sent so the terminal can keep a salted hash of it; the "
        "terminal never stores it as it came."
    )
    trackingNumber: str
    skuIdentifier: str | None
    expiresAt: str = Field(description="ISO-8601 UTC.")


class WorkCollection(BaseModel):
    """A package in a door here that an engineer may collect."""

    trackingNumber: str
    door: str
    orderReference: str | None = Field(
        description="The job or inventory order it is on; null for a package "
        "assigned for collection."
    )


class WorkEngineer(BaseModel):
    """An enabled engineer with a PIN, and what they may open here."""

    userIdentifier: str
    name: str
    pin: str = Field(
        description="Sent so the terminal can keep a salted hash of it; the "
        "terminal never stores it as it came."
    )
    doors: list[str] = Field(description="Doors here permanently assigned to them.")
    collections: list[WorkCollection]


class TerminalWork(BaseModel):
    """What a terminal needs to keep working while Konnect cannot be reached."""

    location: str
    generatedAt: str = Field(description="ISO-8601 UTC.")
    goodsIn: list[WorkGoodsIn]
    engineers: list[WorkEngineer]
