"""Every failure has the stable body; nothing malformed gets a 500 or a 422."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import assert_error, unique


def test_unknown_route_is_404_with_the_stable_body(partner: httpx.Client) -> None:
    assert_error(partner.get("/Api/nothing-here"), 404, "not_found")


def test_wrong_method_is_405_with_the_stable_body(partner: httpx.Client) -> None:
    assert_error(partner.delete("/Api/locations"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"null",
        b"[]",
        b'"text"',
        b"{",
        b'{"locationIdentifier": 5, "trackingNumber": []}',
        b'{"locationIdentifier": "BH1", "trackingNumber": "\\ud800"}',
        b"\xff\xfe",
    ],
)
def test_malformed_goods_in_is_400(partner: httpx.Client, payload: bytes) -> None:
    response = partner.post(
        "/Api/goodsin", content=payload, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error", "message", "field"}


def test_overlong_identifier_is_400(partner: httpx.Client) -> None:
    response = partner.post(
        "/Api/goodsin",
        json={"locationIdentifier": "BH1", "trackingNumber": "x" * 101},
    )

    assert_error(response, 400, "invalid_field", "trackingNumber")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/Api/orders/inventory",
            {"skus": [{"sku": "SKU-CAT6", "quantity": -1}]},
            "skus.0.quantity",
        ),
        (
            "/Api/orders/inventory",
            {"skus": [{"sku": "SKU-CAT6"}, {"barcodes": ["ok", "x" * 101]}]},
            "skus.1.barcodes.1",
        ),
        (
            "/Api/orders/job",
            {"packages": [{"barcode": "B", "location": "BH1", "door": "A1"}, {}]},
            "packages.1.barcode",
        ),
    ],
)
def test_validation_errors_name_list_items_as_rule_errors_do(
    partner: httpx.Client, path: str, body: dict[str, Any], field: str
) -> None:
    order = {"orderReference": unique("ORD"), "user": "eng-1", **body}

    response = partner.post(path, json=order)

    assert_error(response, 400, "invalid_field", field)
    assert f"'{field}'" in response.json()["message"]


@pytest.mark.parametrize("value", ["", "   "])
@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", "/Api/goodsin", "locationIdentifier"),
        ("POST", "/Api/users/eng-1/door/A2", "locationIdentifier"),
        ("GET", "/Api/notifications", "recipient"),
    ],
)
def test_empty_query_parameter_is_400_naming_it(
    partner: httpx.Client, method: str, path: str, field: str, value: str
) -> None:
    response = partner.request(method, path, params={field: value})

    assert_error(response, 400, "invalid_field", field)


# Every operation of Konnect's partner guide; `/Api/skus/` is served as `/Api/skus`.
GUIDE_OPERATIONS = {
    ("POST", "/Auth/core/connect/token"),
    ("GET", "/Api/locations"),
    ("POST", "/Api/users/{identifier}/door/{doorIdentifier}"),
    ("POST", "/Api/users/{userIdentifier}/packagecollectionassignments"),
    ("POST", "/Api/skus"),
    ("POST", "/Api/skus/nsi"),
    ("POST", "/Api/skus/{identifier}/preadvice"),
    ("POST", "/Api/orders/job"),
    ("POST", "/Api/goodsin"),
    ("POST", "/Api/skus/{identifier}/doors"),
    ("GET", "/Api/locations/{locationIdentifier}/skus/{skuIdentifier}/summary"),
    ("POST", "/Api/orders/{locationIdentifier}/skus/{skuIdentifier}/summary"),
}
OWN_MARK = "**Emulator's own endpoint**"
TERMINAL_TAG = "Terminal API (project-defined)"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def test_openapi_marks_every_operation_not_in_the_guide_as_the_emulators_own(
    anonymous: httpx.Client,
) -> None:
    document = anonymous.get("/openapi.json").json()
    operations = {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }

    assert set(operations) >= GUIDE_OPERATIONS
    unmarked = []
    for (method, path), operation in operations.items():
        description = operation.get("description", "")
        if (method, path) in GUIDE_OPERATIONS:
            assert OWN_MARK not in description, f"{method} {path} is the guide's"
        elif path.startswith("/Api/terminal/"):
            # The terminal API is the project's own contract, a tag of its own.
            assert operation["tags"] == [TERMINAL_TAG], f"{method} {path}"
        elif OWN_MARK not in description:
            unmarked.append(f"{method} {path}")
    assert not unmarked, f"not marked as the emulator's own: {unmarked}"
    marked = {
        key for key, op in operations.items() if OWN_MARK in op.get("description", "")
    }
    # The walk above must have found the additions the issue names.
    assert {
        ("GET", "/Api/locations/{locationIdentifier}/heartbeat"),
        ("GET", "/Api/locations/{locationIdentifier}/alarms"),
        ("GET", "/Api/goodsin"),
        ("GET", "/Api/users"),
        ("POST", "/Api/orders/inventory"),
    } <= marked
