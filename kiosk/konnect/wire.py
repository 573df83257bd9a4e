"""Every assumption this terminal makes about Konnect's wire format, in one place.

Only the token call and `GET /Api/locations` are confirmed by Konnect's public
guide; the terminal API below is this project's own definition, served by the
emulator. A deployment against the real Konnect replaces this module.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TOKEN_PATH = "/Auth/core/connect/token"
TERMINAL_SCOPE = "KonnectTerminalAPI"
PARTNER_SCOPE = "StockonnectPartnerAPI"

# The Partner API, as Konnect's guide gives it.
LOCATIONS_PATH = "/Api/locations"
GOODS_IN_PATH = "/Api/goodsin"
SKUS_PATH = "/Api/skus/"
NSI_SKUS_PATH = "/Api/skus/nsi"
JOB_ORDERS_PATH = "/Api/orders/job"


def user_door_path(user: str, door: str) -> str:
    """Where a door is permanently assigned to a user."""
    return f"/Api/users/{user}/door/{door}"


def collection_assignments_path(user: str) -> str:
    """Where a package is assigned to a user for collection."""
    return f"/Api/users/{user}/packagecollectionassignments"


def preadvice_path(sku: str) -> str:
    """Where a serialised SKU's unit is pre-advised."""
    return f"/Api/skus/{sku}/preadvice"


def sku_doors_path(sku: str) -> str:
    """Where a door is made a stock location of a SKU."""
    return f"/Api/skus/{sku}/doors"


def stock_summary_path(location: str, sku: str) -> str:
    """Where a SKU's stock at a location is summarised."""
    return f"/Api/locations/{location}/skus/{sku}/summary"


def inventory_order_path(location: str, sku: str) -> str:
    """Where the guide places inventory orders (its URI, as printed)."""
    return f"/Api/orders/{location}/skus/{sku}/summary"


def doors_path(location: str) -> str:
    """Where the location's doors are listed."""
    return f"/Api/terminal/locations/{location}/doors"


def verify_code_path(location: str) -> str:
    """Where an access code is checked."""
    return f"/Api/terminal/locations/{location}/codes/verify"


def deliveries_path(location: str) -> str:
    """Where a delivery is reported."""
    return f"/Api/terminal/locations/{location}/deliveries"


def collections_path(location: str) -> str:
    """Where a collection is reported."""
    return f"/Api/terminal/locations/{location}/collections"


def restocks_path(location: str) -> str:
    """Where a unit put into its SKU's stock door is reported."""
    return f"/Api/terminal/locations/{location}/restocks"


def alarms_path(location: str) -> str:
    """Where a door alarm is reported."""
    return f"/Api/terminal/locations/{location}/alarms"


def work_path(location: str) -> str:
    """Where the location's open work is fetched for offline use."""
    return f"/Api/terminal/locations/{location}/work"


def heartbeat_path(location: str) -> str:
    """Where the terminal says it is alive."""
    return f"/Api/terminal/locations/{location}/heartbeat"


IDEMPOTENCY_HEADER = "Idempotency-Key"

# Error codes in the `error` field of a refused code check.
CODE_UNKNOWN = "unknown_code"
CODE_EXPIRED = "code_expired"
CODE_USED = "code_used"

# What a reported door alarm says happened.
AlarmKind = Literal["forced_open", "left_open", "cleared"]
ALARM_FORCED_OPEN: AlarmKind = "forced_open"
"""A door opened with no unlock of the terminal's."""
ALARM_LEFT_OPEN: AlarmKind = "left_open"
"""A door stayed open past its limit."""
ALARM_CLEARED: AlarmKind = "cleared"
"""A door in alarm has shut again."""


class _Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class TokenResponse(_Wire):
    """The OAuth 2 token endpoint's answer."""

    access_token: str
    expires_in: float = Field(gt=0)
    token_type: str


class Door(_Wire):
    """A door as Konnect describes it."""

    identifier: str
    profile: str
    size: str
    column: int
    row: int
    height_cm: int | None = Field(default=None, alias="heightCm")
    enabled: bool = True
    occupied: bool = False


class DoorList(_Wire):
    """The location's doors."""

    location: str
    doors: list[Door]


class GoodsInCode(_Wire):
    """A valid goods-in access code: what the courier is delivering."""

    kind: str
    goods_in_id: str = Field(alias="goodsInId")
    tracking_number: str = Field(alias="trackingNumber")
    sku_identifier: str | None = Field(default=None, alias="skuIdentifier")
    expires_at: str | None = Field(default=None, alias="expiresAt")


class ErrorBody(_Wire):
    """The shape of every refusal from the terminal API."""

    error: str = "unknown"
    message: str = ""
    field: str | None = None


class DeliveryReport(_Wire):
    """A delivery made at the terminal."""

    event_id: str = Field(alias="eventId")
    goods_in_id: str = Field(alias="goodsInId")
    tracking_number: str = Field(alias="trackingNumber")
    door: str
    occurred_at: str = Field(alias="occurredAt")


class CollectionReport(_Wire):
    """A package taken out of its door at the terminal."""

    event_id: str = Field(alias="eventId")
    tracking_number: str = Field(alias="trackingNumber")
    door: str
    occurred_at: str = Field(alias="occurredAt")
    user: str | None = Field(default=None, alias="userIdentifier")


class RestockReport(_Wire):
    """A unit put into its SKU's stock door at the terminal."""

    event_id: str = Field(alias="eventId")
    sku_identifier: str = Field(alias="skuIdentifier")
    tracking_number: str = Field(alias="trackingNumber")
    door: str
    occurred_at: str = Field(alias="occurredAt")


class AlarmReport(_Wire):
    """A door alarm raised at the terminal, or cleared when the door shut."""

    event_id: str = Field(alias="eventId")
    kind: AlarmKind
    door: str
    occurred_at: str = Field(alias="occurredAt")


class ReportReceipt(_Wire):
    """Konnect's acknowledgement of a report; `duplicate` on a repeat."""

    event_id: str = Field(alias="eventId")
    status: str


class TerminalStatus(_Wire):
    """How the terminal is, as its heartbeat tells Konnect."""

    online: bool | None = None
    """Whether Konnect answered the terminal's last request; None before any."""
    waiting: int = 0
    """Events the terminal still owes Konnect."""
    dead: int = 0
    """Events Konnect refused for good, waiting for a technician."""
    out_of_service: list[str] = Field(default_factory=list, alias="outOfService")
    """Doors whose board does not answer."""
    credentials_refused: bool = Field(default=False, alias="credentialsRefused")
    """Whether Konnect refused the terminal's client id or secret."""
    alarms: dict[str, AlarmKind] = Field(default_factory=dict)
    """Doors in alarm while they stay open, each with its first alarm's kind."""


class WorkGoodsIn(_Wire):
    """A live goods-in code the terminal may need while offline."""

    goods_in_id: str = Field(alias="goodsInId")
    access_code: str = Field(alias="accessCode")
    tracking_number: str = Field(alias="trackingNumber")
    sku_identifier: str | None = Field(default=None, alias="skuIdentifier")
    expires_at: str = Field(alias="expiresAt")


class WorkCollection(_Wire):
    """A package in a door here that an engineer may collect."""

    tracking_number: str = Field(alias="trackingNumber")
    door: str
    order_reference: str | None = Field(default=None, alias="orderReference")


class WorkEngineer(_Wire):
    """An engineer's PIN and what it opens at this location."""

    user: str = Field(alias="userIdentifier")
    name: str
    pin: str
    doors: list[str] = Field(default_factory=list)
    collections: list[WorkCollection] = Field(default_factory=list)


class Work(_Wire):
    """The location's open work."""

    location: str
    goods_in: list[WorkGoodsIn] = Field(alias="goodsIn")
    engineers: list[WorkEngineer] = Field(default_factory=list)


class Country(_Wire):
    """A location's country."""

    name: str
    code: str


class Address(_Wire):
    """A location's postal address, as the guide shows it."""

    address1: str = ""
    address2: str = ""
    address3: str = ""
    address4: str = ""
    address5: str = ""
    postal_code: str = Field(default="", alias="postalCode")
    country: Country | None = None


class Location(_Wire):
    """A Konnect location."""

    name: str
    identifier: str
    latitude: float | None = None
    longitude: float | None = None
    address: Address | None = None


class GoodsInReceipt(_Wire):
    """A pre-advised delivery and the access code Konnect made for it."""

    access_code: str = Field(alias="accessCode")
    tracking_number: str = Field(alias="trackingNumber")
    location_identifier: str = Field(alias="locationIdentifier")
    sku_identifier: str | None = Field(default=None, alias="skuIdentifier")
    expires_at: str | None = Field(default=None, alias="expiresAt")


class StockSummary(_Wire):
    """A SKU's stock at a location."""

    total: int = Field(alias="totalNumberOfPackages")
    available: int = Field(alias="availableNumberOfPackages")


class JobPackage(_Wire):
    """A package on a job order."""

    barcode: str
    location: str
    door: str


class InventoryLine(_Wire):
    """A SKU line of an inventory order."""

    sku: str
    quantity: int
    location: str | None = None
    location_identifier: str | None = Field(default=None, alias="locationIdentifier")
    barcodes: list[str] = Field(default_factory=list)


class OrderPackage(_Wire):
    """A package an order reserves, and whether it has been collected."""

    barcode: str
    location: str
    door: str
    sku: str | None = None
    collected: bool = False


class InventoryOrder(_Wire):
    """An inventory order as Konnect answers it.

    The guide shows the order echoed back (reference, user, SKU lines); an
    answer may also carry the order's state and the packages it reserved.
    """

    order_reference: str = Field(alias="orderReference")
    user: str
    skus: list[InventoryLine] = Field(default_factory=list)
    state: str | None = None
    packages: list[OrderPackage] = Field(default_factory=list)
