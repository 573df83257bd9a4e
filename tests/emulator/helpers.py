"""Helpers for the emulator tests: making goods-ins, deliveries and checks."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def unique(prefix: str = "TRK") -> str:
    """A tracking number or reference no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def goods_in(partner: httpx.Client, **fields: Any) -> dict[str, Any]:
    """Create a goods-in at BH1 and return its response body."""
    body = {"locationIdentifier": "BH1", "trackingNumber": unique(), **fields}
    response = partner.post("/Api/goodsin", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def deliver(
    terminal: httpx.Client, partner: httpx.Client, door: str = "A1", **fields: Any
) -> dict[str, Any]:
    """Create a goods-in and deliver it into `door`; returns the goods-in body."""
    created = goods_in(partner, **fields)
    deliver_goods_in(terminal, created, door)
    return created


def deliver_goods_in(
    terminal: httpx.Client, created: dict[str, Any], door: str
) -> None:
    """Deliver the package of an existing goods-in into `door` at BH1."""
    verified = terminal.post(
        "/Api/terminal/locations/BH1/codes/verify",
        json={"code": created["accessCode"]},
    ).json()
    event_id = str(uuid.uuid4())
    response = terminal.post(
        "/Api/terminal/locations/BH1/deliveries",
        headers={"Idempotency-Key": event_id},
        json={
            "eventId": event_id,
            "goodsInId": verified["goodsInId"],
            "trackingNumber": created["trackingNumber"],
            "door": door,
            "occurredAt": "2026-01-01T12:00:00Z",
        },
    )
    assert response.status_code == 201, response.text


def collect(terminal: httpx.Client, tracking_number: str, door: str) -> httpx.Response:
    """Report a collection of `tracking_number` from `door` at BH1."""
    event_id = str(uuid.uuid4())
    return terminal.post(
        "/Api/terminal/locations/BH1/collections",
        headers={"Idempotency-Key": event_id},
        json={
            "eventId": event_id,
            "trackingNumber": tracking_number,
            "door": door,
            "occurredAt": "2026-01-01T13:00:00Z",
        },
    )


def assert_error(
    response: httpx.Response, status: int, error: str, field: str | None = None
) -> None:
    """The response is the stable error body with this status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "field"}
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    if field is not None:
        assert body["field"] == field
