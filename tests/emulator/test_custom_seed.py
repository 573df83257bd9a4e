"""Rules that need a seed the demo bank does not have: disabled things."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.emulator.helpers import assert_error
from tests.support.emulator import RunningEmulator, emulator_seeded_with

DOOR = {"profile": "Delivery", "size": "S", "column": 1, "row": 1, "heightCm": 20}
ADDRESS = {
    "address1": "1 Road",
    "address2": "Town",
    "address3": "",
    "address4": "",
    "address5": "",
    "postalCode": "X1 1XX",
    "country": {"name": "United Kingdom", "code": "UK"},
}
SEED = {
    "clients": [
        {"clientId": "on", "secret": "s", "scope": "StockonnectPartnerAPI",
         "preadviceEnabled": True, "user": "admin"},
        {"clientId": "off", "secret": "s", "scope": "StockonnectPartnerAPI",
         "preadviceEnabled": False, "user": "admin"},
        {"clientId": "ghost", "secret": "s", "scope": "StockonnectPartnerAPI",
         "preadviceEnabled": True, "user": "gone"},
        {"clientId": "barred", "secret": "s", "scope": "StockonnectPartnerAPI",
         "preadviceEnabled": True, "user": "admin", "enabled": False},
    ],
    "locations": [
        {"name": "Open", "identifier": "OPEN", "latitude": 1.0, "longitude": 1.0,
         "address": ADDRESS, "doors": [{"identifier": "A1", **DOOR}]},
        {"name": "Shut", "identifier": "SHUT", "latitude": 1.0, "longitude": 1.0,
         "address": ADDRESS,
         "doors": [{"identifier": "A1", **DOOR, "enabled": False},
                   {"identifier": "B1", **DOOR, "profile": "Inventory"}]},
    ],
    "users": [
        {"identifier": "admin", "name": "Admin", "role": "Admin"},
        {"identifier": "gone", "name": "Gone", "role": "Carrier", "enabled": False},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    with emulator_seeded_with(SEED, tmp_path_factory.mktemp("seed")) as running:
        yield running


def _client(emulator: RunningEmulator, client_id: str) -> httpx.Client:
    return emulator.bearer(client_id, "s", "StockonnectPartnerAPI")


def _goods_in(client: httpx.Client, location: str) -> httpx.Response:
    return client.post(
        "/Api/goodsin", json={"locationIdentifier": location, "trackingNumber": "T1"}
    )


def _token_request(emulator: RunningEmulator, client_id: str) -> httpx.Response:
    return httpx.post(
        f"{emulator.url}/Auth/core/connect/token",
        data={
            "grant_type": "client_credentials",
            "scope": "StockonnectPartnerAPI",
            "client_id": client_id,
            "client_secret": "s",
        },
    )


def test_a_disabled_client_gets_no_token(emulator: RunningEmulator) -> None:
    barred = _token_request(emulator, "barred")
    unknown = _token_request(emulator, "nobody")

    assert barred.status_code == 401
    assert barred.json()["error"] == "invalid_client"
    assert barred.headers["www-authenticate"].startswith("Basic")
    # Refused exactly as an unknown client is, so it tells nobody it exists.
    assert barred.json() == unknown.json()
    assert _token_request(emulator, "on").status_code == 200


def test_goods_in_needs_preadvice_enabled(emulator: RunningEmulator) -> None:
    with _client(emulator, "off") as client:
        assert_error(_goods_in(client, "OPEN"), 403, "preadvice_disabled")


def test_goods_in_needs_an_enabled_user(emulator: RunningEmulator) -> None:
    with _client(emulator, "ghost") as client:
        assert_error(_goods_in(client, "OPEN"), 403, "user_disabled")


def test_goods_in_needs_an_enabled_delivery_door(emulator: RunningEmulator) -> None:
    with _client(emulator, "on") as client:
        assert_error(
            _goods_in(client, "SHUT"), 409, "no_delivery_door", "locationIdentifier"
        )
        assert _goods_in(client, "OPEN").status_code == 200


def test_disabled_user_gets_no_job_order(emulator: RunningEmulator) -> None:
    with _client(emulator, "on") as client:
        response = client.post(
            "/Api/orders/job",
            json={
                "orderReference": "J1",
                "user": "gone",
                "packages": [{"barcode": "T1", "location": "OPEN", "door": "A1"}],
            },
        )
    assert_error(response, 409, "user_disabled", "user")


def test_door_named_without_location_must_be_unambiguous(
    emulator: RunningEmulator,
) -> None:
    with _client(emulator, "on") as client:
        ambiguous = client.post("/Api/users/admin/door/A1")
        named = client.post("/Api/users/admin/door/A1?locationIdentifier=OPEN")
        disabled = client.post("/Api/users/admin/door/A1?locationIdentifier=SHUT")
        unique_door = client.post("/Api/users/admin/door/B1")

    assert_error(ambiguous, 400, "ambiguous_door", "locationIdentifier")
    assert named.status_code == 200
    assert_error(disabled, 409, "door_disabled", "doorIdentifier")
    assert unique_door.status_code == 200


def test_a_custom_seed_replaces_the_demo_bank(emulator: RunningEmulator) -> None:
    with _client(emulator, "on") as client:
        identifiers = [loc["identifier"] for loc in client.get("/Api/locations").json()]
    assert identifiers == ["OPEN", "SHUT"]
