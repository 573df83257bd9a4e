"""Stock summaries and inventory orders, against a freshly seeded server.

The demo seed stocks door D1 with three SKU-ROUTER units (minimum 1) and
door D2 with five SKU-CAT6 units (minimum 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.emulator.helpers import assert_error, collect, unique
from tests.support.emulator import running_emulator


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with running_emulator() as emulator:
        partner = httpx.Client(
            base_url=emulator.url,
            headers={"Authorization": f"Bearer {emulator.partner_token()}"},
        )
        terminal = httpx.Client(
            base_url=emulator.url,
            headers={"Authorization": f"Bearer {emulator.terminal_token()}"},
        )
        with partner, terminal:
            yield partner, terminal


def _summary(partner: httpx.Client, sku: str) -> dict[str, int]:
    response = partner.get(f"/Api/locations/BH1/skus/{sku}/summary")
    assert response.status_code == 200
    body: dict[str, int] = response.json()
    return body


def _order(sku: str, quantity: int, **line: Any) -> dict[str, Any]:
    return {
        "orderReference": unique("INV"),
        "user": "eng-1",
        "skus": [
            {"sku": sku, "quantity": quantity, "locationIdentifier": "BH1", **line}
        ],
    }


def test_summary_counts_the_seeded_stock(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, _ = clients

    assert _summary(partner, "SKU-CAT6") == {
        "totalNumberOfPackages": 5,
        "availableNumberOfPackages": 5,
    }


def test_inventory_order_reserves_stock_and_collection_completes_it(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, terminal = clients
    body = _order("SKU-ROUTER", 0, barcodes=["RTR-0002"])

    created = partner.post("/Api/orders/inventory", json=body)

    assert created.status_code == 200
    order = created.json()
    assert order["kind"] == "inventory" and order["state"] == "active"
    assert [p["barcode"] for p in order["packages"]] == ["RTR-0002"]
    assert order["orderReference"] == body["orderReference"]
    assert order["user"] == "eng-1"
    assert order["skus"] == [
        {
            "sku": "SKU-ROUTER",
            "quantity": 1,
            "location": "BH1",
            "locationIdentifier": "BH1",
            "barcodes": ["RTR-0002"],
        }
    ]
    assert _summary(partner, "SKU-ROUTER") == {
        "totalNumberOfPackages": 3,
        "availableNumberOfPackages": 2,
    }
    ready = partner.get("/Api/notifications", params={"kind": "order_ready"}).json()
    assert any(n["data"]["orderReference"] == body["orderReference"] for n in ready)

    assert collect(terminal, "RTR-0002", "D1").status_code == 201

    done = partner.get(f"/Api/orders/{body['orderReference']}").json()
    assert done["state"] == "complete"
    assert _summary(partner, "SKU-ROUTER") == {
        "totalNumberOfPackages": 2,
        "availableNumberOfPackages": 2,
    }


def test_guide_inventory_order_uri_and_stock_below_minimum(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, _ = clients
    guide_body = {
        "orderReference": unique("INV"),
        "user": "eng-1",
        "skus": [
            {
                "sku": "SKU-CAT6",
                "quantity": 4,
                "location": "BH1",
                "locationIdentifier": "BH1",
                "barcodes": [],
            }
        ],
    }

    response = partner.post("/Api/orders/BH1/skus/SKU-CAT6/summary", json=guide_body)

    assert response.status_code == 200
    order = response.json()
    assert len(order["packages"]) == 4
    # The guide's body comes back as the guide labels it, beside the order's own.
    assert {"orderReference", "user", "skus"} <= set(order)
    assert {"kind", "state", "createdAt", "completedAt", "packages"} <= set(order)
    assert order["orderReference"] == guide_body["orderReference"]
    assert order["user"] == "eng-1"
    assert order["skus"] == [
        {
            "sku": "SKU-CAT6",
            "quantity": 4,
            "location": "BH1",
            "locationIdentifier": "BH1",
            "barcodes": ["5012345678900"] * 4,
        }
    ]
    assert _summary(partner, "SKU-CAT6")["availableNumberOfPackages"] == 1
    low = partner.get(
        "/Api/notifications", params={"kind": "stock_below_minimum"}
    ).json()
    assert any(n["data"]["sku"] == "SKU-CAT6" for n in low)
    assert all(n["recipient"] == "admin-1" for n in low)


def test_inventory_order_beyond_stock_is_409_and_reserves_nothing(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, _ = clients
    before = _summary(partner, "SKU-ROUTER")

    response = partner.post("/Api/orders/inventory", json=_order("SKU-ROUTER", 99))

    assert_error(response, 409, "insufficient_stock", "skus.0.quantity")
    assert _summary(partner, "SKU-ROUTER") == before
    reserved = partner.post(
        "/Api/orders/inventory", json=_order("SKU-ROUTER", 0, barcodes=["RTR-0002"])
    )
    assert_error(reserved, 409, "insufficient_stock", "skus.0.barcodes")


def test_inventory_order_rules(clients: tuple[httpx.Client, httpx.Client]) -> None:
    partner, _ = clients
    body = _order("SKU-ROUTER", 1)
    assert partner.post("/Api/orders/inventory", json=body).status_code == 200

    assert_error(
        partner.post("/Api/orders/inventory", json=body),
        409,
        "duplicate_order_reference",
        "orderReference",
    )
    assert_error(
        partner.post("/Api/orders/inventory", json=_order("NOPE", 1)),
        404,
        "unknown_sku",
        "skus.0.sku",
    )
    assert_error(
        partner.post("/Api/orders/inventory", json=_order("SKU-ROUTER", 0)),
        400,
        "invalid_field",
        "skus.0.quantity",
    )
    conflicting = _order("SKU-ROUTER", 1, location="LON1")
    assert_error(
        partner.post("/Api/orders/inventory", json=conflicting),
        400,
        "invalid_field",
        "skus.0.locationIdentifier",
    )
    path_disagrees = partner.post(
        "/Api/orders/BH1/skus/SKU-CAT6/summary", json=_order("SKU-ROUTER", 1)
    )
    assert_error(path_disagrees, 400, "invalid_field", "skus.0.sku")


def _restock(
    terminal: httpx.Client, sku: str, tracking: str, door: str, event: str = ""
) -> httpx.Response:
    event_id = event or unique("EV")
    return terminal.post(
        "/Api/terminal/locations/BH1/restocks",
        headers={"Idempotency-Key": event_id},
        json={
            "eventId": event_id,
            "skuIdentifier": sku,
            "trackingNumber": tracking,
            "door": door,
            "occurredAt": "2026-01-02T09:00:00Z",
        },
    )


def test_restock_raises_stock_once(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, terminal = clients
    before = _summary(partner, "SKU-ROUTER")
    event, tracking = unique("EV"), unique("RTR")

    first = _restock(terminal, "SKU-ROUTER", tracking, "D1", event)
    again = _restock(terminal, "SKU-ROUTER", tracking, "D1", event)

    assert first.status_code == 201
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    after = _summary(partner, "SKU-ROUTER")
    assert after["totalNumberOfPackages"] == before["totalNumberOfPackages"] + 1
    assert after["availableNumberOfPackages"] == before["availableNumberOfPackages"] + 1


def test_restock_needs_the_skus_stock_door(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    _, terminal = clients

    wrong_sku = _restock(terminal, "SKU-CAT6", unique(), "D1")
    delivery_door = _restock(terminal, "SKU-ROUTER", unique(), "A1")
    unknown_sku = _restock(terminal, "NOPE", unique(), "D1")

    assert_error(wrong_sku, 409, "door_not_stock_door", "door")
    assert_error(delivery_door, 409, "door_not_stock_door", "door")
    assert_error(unknown_sku, 404, "unknown_sku", "skuIdentifier")


def test_heartbeat_before_any_is_404(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, _ = clients

    response = partner.get("/Api/locations/BH1/heartbeat")

    assert_error(response, 404, "no_heartbeat", "locationIdentifier")
