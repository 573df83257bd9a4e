"""Door alarms: reported once by the terminal, listed for partners, admins told."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.helpers import assert_error, goods_in
from tests.support.emulator import PARTNER_SCOPE, TERMINAL_SCOPE, emulator_seeded_with

BASE = "/Api/terminal/locations/BH1"
DEMO_SEED = Path(__file__).resolve().parents[2] / "kiosk/emulator/demo_seed.json"


def _alarm(kind: str = "forced_open", door: str = "D3") -> dict[str, Any]:
    return {
        "eventId": str(uuid.uuid4()),
        "kind": kind,
        "door": door,
        "occurredAt": "2026-12-03T10:00:00Z",
    }


def _post(terminal: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return terminal.post(
        f"{BASE}/alarms", headers={"Idempotency-Key": body["eventId"]}, json=body
    )


def _listed(partner: httpx.Client, event_id: str) -> list[dict[str, Any]]:
    response = partner.get("/Api/locations/BH1/alarms")
    assert response.status_code == 200, response.text
    return [a for a in response.json() if a["eventId"] == event_id]


def _notified(partner: httpx.Client, event_id: str) -> list[dict[str, Any]]:
    notes = partner.get("/Api/notifications", params={"kind": "door_alarm"}).json()
    return [n for n in notes if n["data"]["eventId"] == event_id]


def test_an_alarm_is_recorded_once_listed_and_told_to_the_admins(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    body = _alarm("forced_open", "D3")

    first = _post(terminal, body)
    again = _post(terminal, body)

    assert first.status_code == 201
    assert first.json() == {"eventId": body["eventId"], "status": "recorded"}
    assert again.status_code == 200
    assert again.json() == {"eventId": body["eventId"], "status": "duplicate"}
    (listed,) = _listed(partner, body["eventId"])
    assert listed["kind"] == "forced_open"
    assert listed["door"] == "D3"
    assert listed["occurredAt"] == "2026-12-03T10:00:00Z"
    assert listed["receivedAt"].endswith("Z")
    # The demo seed's one admin has an email address: pushed and emailed, once.
    notes = _notified(partner, body["eventId"])
    assert sorted((n["recipient"], n["channel"]) for n in notes) == [
        ("admin-1", "email"),
        ("admin-1", "push"),
    ]
    assert notes[0]["message"] == "Door D3 at BH1 was forced open."


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("left_open", "Door B2 at BH1 has been left open."),
        ("cleared", "Door B2 at BH1 is shut again after an alarm."),
    ],
)
def test_every_kind_of_alarm_is_kept(
    terminal: httpx.Client, partner: httpx.Client, kind: str, message: str
) -> None:
    body = _alarm(kind, "B2")

    assert _post(terminal, body).status_code == 201

    assert [a["kind"] for a in _listed(partner, body["eventId"])] == [kind]
    assert {n["message"] for n in _notified(partner, body["eventId"])} == {message}


def test_an_event_id_reused_for_another_alarm_is_409(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    body = _alarm("forced_open", "A1")
    assert _post(terminal, body).status_code == 201

    for changed in (
        {"kind": "left_open"},
        {"door": "A2"},
        {"occurredAt": "2026-12-03T10:05:00Z"},
    ):
        assert_error(
            _post(terminal, body | changed), 409, "idempotency_key_mismatch", "eventId"
        )
    assert [a["kind"] for a in _listed(partner, body["eventId"])] == ["forced_open"]
    assert len(_notified(partner, body["eventId"])) == 2  # push and email, once


def test_an_event_id_is_an_alarm_or_a_delivery_never_both(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    created = goods_in(partner)
    verified = terminal.post(
        f"{BASE}/codes/verify", json={"code": created["accessCode"]}
    ).json()
    delivery = {
        "eventId": str(uuid.uuid4()),
        "goodsInId": verified["goodsInId"],
        "trackingNumber": created["trackingNumber"],
        "door": "A2",
        "occurredAt": "2026-12-03T10:00:00Z",
    }
    alarm = _alarm()
    assert _post(terminal, alarm).status_code == 201

    as_delivery = terminal.post(
        f"{BASE}/deliveries",
        headers={"Idempotency-Key": alarm["eventId"]},
        json=delivery | {"eventId": alarm["eventId"]},
    )
    delivered = terminal.post(
        f"{BASE}/deliveries",
        headers={"Idempotency-Key": delivery["eventId"]},
        json=delivery,
    )
    as_alarm = _post(terminal, _alarm() | {"eventId": delivery["eventId"]})

    assert_error(as_delivery, 409, "idempotency_key_mismatch", "eventId")
    assert delivered.status_code == 201
    assert_error(as_alarm, 409, "idempotency_key_mismatch", "eventId")
    assert _listed(partner, delivery["eventId"]) == []


def test_an_alarm_of_a_door_the_location_lacks_is_404_and_kept_nowhere(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    body = _alarm("forced_open", "Z9")

    assert_error(_post(terminal, body), 404, "unknown_door", "door")
    assert _listed(partner, body["eventId"]) == []
    assert _notified(partner, body["eventId"]) == []


def test_a_malformed_alarm_is_400(terminal: httpx.Client) -> None:
    body = _alarm()

    assert_error(_post(terminal, body | {"kind": "on_fire"}), 400, "invalid_field")
    assert_error(_post(terminal, body | {"door": " "}), 400, "invalid_field", "door")
    wrong_key = terminal.post(
        f"{BASE}/alarms", headers={"Idempotency-Key": "other"}, json=body
    )
    assert_error(wrong_key, 400, "idempotency_key_mismatch", "eventId")
    missing_key = terminal.post(f"{BASE}/alarms", json=body)
    assert_error(missing_key, 400, "invalid_field", "Idempotency-Key")


def test_alarms_are_reported_by_terminals_and_read_by_partners(
    terminal: httpx.Client, partner: httpx.Client, anonymous: httpx.Client
) -> None:
    body = _alarm()

    assert_error(_post(partner, body), 403, "insufficient_scope")
    assert_error(
        terminal.post(
            "/Api/terminal/locations/LON1/alarms",
            headers={"Idempotency-Key": body["eventId"]},
            json=body,
        ),
        403,
        "wrong_location",
        "location",
    )
    assert_error(_post(anonymous, body), 401, "missing_token")
    assert_error(terminal.get("/Api/locations/BH1/alarms"), 403, "insufficient_scope")
    assert_error(anonymous.get("/Api/locations/BH1/alarms"), 401, "missing_token")
    assert_error(
        partner.get("/Api/locations/NOWHERE/alarms"),
        404,
        "unknown_location",
        "locationIdentifier",
    )
    assert _listed(partner, body["eventId"]) == []


def test_with_no_admins_an_alarm_is_kept_and_nobody_is_told(tmp_path: Path) -> None:
    seed = json.loads(DEMO_SEED.read_text())
    for user in seed["users"]:
        if user["role"] == "Admin":
            user["role"] = "Carrier"
    with emulator_seeded_with(seed, tmp_path) as emulator:
        body = _alarm("left_open", "C2")
        with emulator.bearer(
            emulator.terminal_client_id,
            emulator.terminal_client_secret,
            TERMINAL_SCOPE,
        ) as terminal:
            assert _post(terminal, body).status_code == 201
        with emulator.bearer(
            emulator.partner_client_id,
            emulator.partner_client_secret,
            PARTNER_SCOPE,
        ) as partner:
            assert [a["kind"] for a in _listed(partner, body["eventId"])] == [
                "left_open"
            ]
            assert partner.get("/Api/notifications").json() == []
