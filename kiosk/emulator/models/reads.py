"""Bodies of the emulator's own read endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class HistoryEntry(BaseModel):
    """One step in a package's life."""

    event: str
    at: str
    door: str | None


class PackageState(BaseModel):
    """Where a package is and how it got there."""

    trackingNumber: str
    state: Literal["preadvised", "delivered", "collected"]
    locationIdentifier: str | None
    door: str | None
    skuIdentifier: str | None
    history: list[HistoryEntry]


class OpenGoodsIn(BaseModel):
    """A goods-in whose code is live, with its code for printing labels."""

    goodsInId: str
    accessCode: str
    trackingNumber: str
    locationIdentifier: str
    skuIdentifier: str | None
    createdAt: str
    expiresAt: str


class Sku(BaseModel):
    """A stock keeping unit."""

    identifier: str
    name: str
    description: str
    serialised: bool
    barcode: str | None


class Notification(BaseModel):
    """A push or email notification Konnect would have sent."""

    id: int
    kind: Literal[
        "delivery_made",
        "package_assigned",
        "order_ready",
        "stock_below_minimum",
        "door_alarm",
    ]
    recipient: str
    channel: Literal["push", "email"]
    message: str
    at: str
    data: dict[str, Any]


class OrderPackage(BaseModel):
    """A package on an order and whether it has been collected."""

    barcode: str
    location: str
    door: str
    sku: str | None
    collected: bool


class OrderState(BaseModel):
    """An order and its progress."""

    orderReference: str
    kind: Literal["job", "inventory"]
    user: str
    state: Literal["active", "complete"]
    createdAt: str
    completedAt: str | None
    packages: list[OrderPackage]


class User(BaseModel):
    """A Konnect user."""

    identifier: str
    name: str
    role: str
    enabled: bool
    doors: list[str] = Field(description="Permanently assigned doors, `LOC/DOOR`.")
