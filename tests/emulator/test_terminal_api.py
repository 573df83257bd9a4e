"""The terminal API, exactly as the terminal's client expects it."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.emulator.helpers import assert_error, deliver, goods_in, unique
from tests.support.emulator import RunningEmulator

BASE = "/Api/terminal/locations/BH1"


def _delivery(
    created: dict[str, Any], goods_in_id: str, door: str = "A3"
) -> dict[str, Any]:
    return {
        "eventId": str(uuid.uuid4()),
        "goodsInId": goods_in_id,
        "trackingNumber": created["trackingNumber"],
        "door": door,
        "occurredAt": "2026-12-03T10:00:00Z",
    }


def _verify(terminal: httpx.Client, code: str) -> httpx.Response:
    return terminal.post(f"{BASE}/codes/verify", json={"code": code})


def _post_delivery(terminal: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return terminal.post(
        f"{BASE}/deliveries", headers={"Idempotency-Key": body["eventId"]}, json=body
    )


def test_doors_are_the_demo_bank(terminal: httpx.Client) -> None:
    response = terminal.get(f"{BASE}/doors")

    assert response.status_code == 200
    body = response.json()
    assert body["location"] == "BH1"
    doors = {d["identifier"]: d for d in body["doors"]}
    assert len(doors) == 16
    assert set(doors["A1"]) == {
        "identifier", "profile", "size", "column", "row", "heightCm", "enabled",
        "occupied",
    }  # fmt: skip
    assert doors["B2"] == {
        "identifier": "B2", "profile": "Delivery", "size": "M", "column": 2,
        "row": 2, "heightCm": 60, "enabled": True, "occupied": False,
    }  # fmt: skip
    assert doors["D4"]["profile"] == "Returns"
    assert doors["D1"]["profile"] == "Inventory"
    assert doors["C4"]["size"] == "S" and doors["C4"]["heightCm"] == 140
    assert doors["C1"]["size"] == "L" and doors["C1"]["heightCm"] == 20


def test_verify_returns_the_goods_in_and_changes_nothing(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner, skuIdentifier="SKU-ROUTER")

    first = _verify(terminal, created["accessCode"])
    second = _verify(terminal, created["accessCode"])

    assert first.status_code == 200
    body = first.json()
    assert body["kind"] == "goodsIn"
    assert body["trackingNumber"] == created["trackingNumber"]
    assert body["skuIdentifier"] == "SKU-ROUTER"
    assert body["expiresAt"] == created["expiresAt"]
    assert body["expiresAt"].endswith("Z")
    assert second.json() == body
    state = partner.get(f"/Api/packages/{created['trackingNumber']}").json()
    assert state["state"] == "preadvised"


def test_verify_unknown_code_is_404(terminal: httpx.Client) -> None:
    # Real codes are digits only, so this one cannot exist.
    response = _verify(terminal, "NOPE00")

    assert_error(response, 404, "unknown_code", "code")


def test_verify_used_code_is_410(terminal: httpx.Client, partner: httpx.Client) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    assert (
        _post_delivery(terminal, _delivery(created, verified["goodsInId"])).status_code
        == 201
    )

    assert_error(_verify(terminal, created["accessCode"]), 410, "code_used", "code")


def test_verify_malformed_body_is_400(terminal: httpx.Client) -> None:
    assert_error(
        terminal.post(f"{BASE}/codes/verify", json={}), 400, "invalid_field", "code"
    )
    assert_error(
        terminal.post(
            f"{BASE}/codes/verify",
            content=b"{not json",
            headers={"content-type": "application/json"},
        ),
        400,
        "malformed_request",
    )


def test_delivery_is_recorded_once_and_the_package_is_delivered(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    body = _delivery(created, verified["goodsInId"], door="B1")

    first = _post_delivery(terminal, body)
    again = _post_delivery(terminal, body)

    assert first.status_code == 201
    assert first.json() == {"eventId": body["eventId"], "status": "recorded"}
    assert again.status_code == 200
    assert again.json() == {"eventId": body["eventId"], "status": "duplicate"}
    state = partner.get(f"/Api/packages/{created['trackingNumber']}").json()
    assert state["state"] == "delivered"
    assert state["locationIdentifier"] == "BH1"
    assert state["door"] == "B1"
    assert [h["event"] for h in state["history"]] == ["preadvised", "delivered"]
    notes = partner.get("/Api/notifications", params={"kind": "delivery_made"}).json()
    mine = [
        n for n in notes if n["data"]["trackingNumber"] == created["trackingNumber"]
    ]
    assert len(mine) == 1
    doors = {d["identifier"]: d for d in terminal.get(f"{BASE}/doors").json()["doors"]}
    assert doors["B1"]["occupied"] is True


def test_concurrent_duplicate_deliveries_count_once(
    emulator: RunningEmulator, terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    body = _delivery(created, verified["goodsInId"], door="C2")
    token = terminal.headers["Authorization"]

    def send(_: int) -> int:
        with httpx.Client(base_url=emulator.url, headers={"Authorization": token}) as c:
            return _post_delivery(c, body).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(send, range(32)))

    assert statuses.count(201) == 1
    assert statuses.count(200) == 31
    history = partner.get(f"/Api/packages/{created['trackingNumber']}").json()
    assert [h["event"] for h in history["history"]] == ["preadvised", "delivered"]
    notes = partner.get("/Api/notifications", params={"kind": "delivery_made"}).json()
    assert (
        sum(n["data"]["trackingNumber"] == created["trackingNumber"] for n in notes)
        == 1
    )


def test_delivery_key_must_match_event_id(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    body = _delivery(created, verified["goodsInId"])

    wrong = terminal.post(
        f"{BASE}/deliveries", headers={"Idempotency-Key": "other"}, json=body
    )
    missing = terminal.post(f"{BASE}/deliveries", json=body)

    assert_error(wrong, 400, "idempotency_key_mismatch", "eventId")
    assert_error(missing, 400, "invalid_field", "Idempotency-Key")


def test_delivery_of_unknown_goods_in_is_404(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    body = _delivery(created, str(uuid.uuid4()))

    assert_error(_post_delivery(terminal, body), 404, "unknown_goods_in", "goodsInId")


def test_delivery_into_a_non_delivery_door_is_409(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()

    for door in ("D1", "D4"):
        body = _delivery(created, verified["goodsInId"], door=door)
        assert_error(_post_delivery(terminal, body), 409, "door_not_delivery", "door")
    body = _delivery(created, verified["goodsInId"], door="Z9")
    assert_error(_post_delivery(terminal, body), 404, "unknown_door", "door")


def test_second_delivery_of_a_goods_in_is_409(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    assert (
        _post_delivery(terminal, _delivery(created, verified["goodsInId"])).status_code
        == 201
    )

    other = _delivery(created, verified["goodsInId"], door="A4")

    assert_error(_post_delivery(terminal, other), 409, "already_delivered", "goodsInId")


def test_delivery_with_another_tracking_number_is_409(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    body = _delivery(created, verified["goodsInId"]) | {"trackingNumber": unique()}

    assert_error(
        _post_delivery(terminal, body),
        409,
        "tracking_number_mismatch",
        "trackingNumber",
    )


def test_a_delivery_into_an_occupied_door_is_recorded(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    # What the terminal reports happened; a second package in a door is a fact.
    first = deliver(terminal, partner, door="A3")
    second = deliver(terminal, partner, door="A3")

    doors = partner.get("/Api/locations/BH1/doors").json()["doors"]
    inside = {
        p["trackingNumber"]
        for d in doors
        if d["identifier"] == "A3"
        for p in d["packages"]
    }
    assert {first["trackingNumber"], second["trackingNumber"]} <= inside


def test_heartbeat_is_204_and_kept(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    response = terminal.post(
        f"{BASE}/heartbeat",
        json={"at": "2026-12-03T10:00:00Z", "status": {"doors": 16, "ok": True}},
    )

    assert response.status_code == 204
    assert response.content == b""
    last = partner.get("/Api/locations/BH1/heartbeat").json()
    assert last["status"] == {"doors": 16, "ok": True}
    assert last["at"] == "2026-12-03T10:00:00Z"
    assert_error(
        terminal.post(f"{BASE}/heartbeat", json={"at": "soon"}), 400, "invalid_field"
    )


def test_terminal_token_is_bound_to_its_location(terminal: httpx.Client) -> None:
    response = terminal.get("/Api/terminal/locations/LON1/doors")

    assert_error(response, 403, "wrong_location", "location")


def test_partner_token_is_refused_on_the_terminal_api(partner: httpx.Client) -> None:
    assert_error(partner.get(f"{BASE}/doors"), 403, "insufficient_scope")


def test_terminal_api_needs_a_token(anonymous: httpx.Client) -> None:
    response = anonymous.get(f"{BASE}/doors")

    assert_error(response, 401, "missing_token")
    assert response.headers["www-authenticate"].startswith("Bearer")
    bad = anonymous.get(f"{BASE}/doors", headers={"Authorization": "Bearer nope"})
    assert_error(bad, 401, "invalid_token")


def test_an_event_id_reused_for_another_door_is_409(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = _verify(terminal, created["accessCode"]).json()
    body = _delivery(created, verified["goodsInId"], door="B2")
    assert _post_delivery(terminal, body).status_code == 201

    moved = {**body, "door": "B3"}
    assert_error(_post_delivery(terminal, moved), 409, "idempotency_key_mismatch")
    state = partner.get(f"/Api/packages/{created['trackingNumber']}").json()
    assert state["door"] == "B2"
