"""Every assumption this terminal makes about Konnect's wire format, in one place.

Only the token call and `GET /Api/locations` are confirmed by Konnect's public
guide; the terminal API below is this project's own definition, served by the
emulator. A deployment against the real Konnect replaces this module.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

TOKEN_PATH = "/Auth/core/connect/token"
TERMINAL_SCOPE = "KonnectTerminalAPI"


def doors_path(location: str) -> str:
    """Where the location's doors are listed."""
    return f"/Api/terminal/locations/{location}/doors"


def verify_code_path(location: str) -> str:
    """Where an access code is checked."""
    return f"/Api/terminal/locations/{location}/codes/verify"


def deliveries_path(location: str) -> str:
    """Where a delivery is reported."""
    return f"/Api/terminal/locations/{location}/deliveries"


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


class ReportReceipt(_Wire):
    """Konnect's acknowledgement of a report; `duplicate` on a repeat."""

    event_id: str = Field(alias="eventId")
    status: str


class WorkGoodsIn(_Wire):
    """A live goods-in code the terminal may need while offline."""

    goods_in_id: str = Field(alias="goodsInId")
    access_code: str = Field(alias="accessCode")
    tracking_number: str = Field(alias="trackingNumber")
    sku_identifier: str | None = Field(default=None, alias="skuIdentifier")
    expires_at: str = Field(alias="expiresAt")


class Work(_Wire):
    """The location's open work."""

    location: str
    goods_in: list[WorkGoodsIn] = Field(alias="goodsIn")
