"""Request and response bodies of the guide's Partner API endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kiosk.emulator.models.fields import Count, Identifier, Text
from kiosk.emulator.models.reads import OrderState


class Ok(BaseModel):
    """Body of a write the guide answers with a bare 200."""

    status: str = Field(description="Always `ok`.")


class CollectionAssignmentRequest(BaseModel):
    """Assigns a package to the user who will collect it."""

    barcode: Identifier = Field(description="The tracking number of the package.")


class SkuRequest(BaseModel):
    """A serialised SKU."""

    identifier: Identifier
    description: Text
    name: Text


class NsiSkuRequest(SkuRequest):
    """A non-serialised SKU, identified by one barcode for all its parts."""

    barcode: Identifier


class PreadviceRequest(BaseModel):
    """Pre-advice of one unit of a serialised SKU."""

    trackingNumber: Identifier


class JobPackage(BaseModel):
    """A package an engineer must collect on a job order."""

    barcode: Identifier
    location: Identifier
    door: Identifier


class JobOrderRequest(BaseModel):
    """A job order, as the guide shows it."""

    orderReference: Identifier
    user: Identifier
    packages: list[JobPackage] = Field(min_length=1, max_length=100)


class GoodsInRequest(BaseModel):
    """Notice of an upcoming delivery by a courier without the Konnect app."""

    locationIdentifier: Identifier
    skuIdentifier: Identifier | None = None
    trackingNumber: Identifier


class GoodsInResponse(BaseModel):
    """The access code created for the courier."""

    accessCode: str = Field(description="Six digits, unique among live codes.")
    trackingNumber: str
    locationIdentifier: str
    skuIdentifier: str | None
    expiresAt: str = Field(description="ISO-8601 UTC.")


class SkuDoorRequest(BaseModel):
    """Makes a door a stock location of a SKU."""

    doorIdentifier: Identifier
    minimumStockLevel: Count = 0
    locationIdentifier: Identifier | None = Field(
        default=None,
        description="Emulator's own addition: needed only when the door "
        "identifier exists at more than one location.",
    )


class StockSummary(BaseModel):
    """Stock of a SKU at a location, as the guide shows it."""

    totalNumberOfPackages: int = Field(description="Total amount in the doors.")
    availableNumberOfPackages: int = Field(
        description="What remains after all active orders are collected."
    )


class InventoryOrderSku(BaseModel):
    """One SKU line of an inventory order."""

    sku: Identifier | None = None
    quantity: Count = 0
    location: Identifier | None = None
    locationIdentifier: Identifier | None = None
    barcodes: list[Identifier] = Field(default_factory=list, max_length=100)


class InventoryOrderRequest(BaseModel):
    """An inventory order, the body the guide shows (as a response)."""

    orderReference: Identifier
    user: Identifier
    skus: list[InventoryOrderSku] = Field(min_length=1, max_length=100)


class InventoryOrderLine(BaseModel):
    """One SKU line of a created inventory order, in the guide's fields."""

    sku: str
    quantity: int = Field(description="Units reserved.")
    location: str = Field(description="The location, as `locationIdentifier`.")
    locationIdentifier: str
    barcodes: list[str] = Field(
        description="The reserved units' barcodes, one per unit; the parts of a "
        "non-serialised SKU all carry its barcode, so it repeats."
    )


class InventoryOrderState(OrderState):
    """A created inventory order: the guide's body beside the order's progress.

    The guide shows `{orderReference, user, skus[...]}` as this call's
    response, so that is answered as it shows, with what was reserved.
    """

    skus: list[InventoryOrderLine] = Field(
        description="One line per SKU and location, as the guide shows it."
    )
