"""`GET /Api/locations` as the guide shows it, and the emulator's door view."""

from __future__ import annotations

import httpx

from tests.emulator.helpers import assert_error, deliver

GUIDE_BH1 = {
    "name": "Birmingham",
    "identifier": "BH1",
    "latitude": 52.4777572,
    "longitude": -1.9011467,
    "address": {
        "address1": "Station Street",
        "address2": "Birmingham",
        "address3": "",
        "address4": "",
        "address5": "",
        "postalCode": "B2 4QA",
        "country": {"name": "United Kingdom", "code": "UK"},
    },
}


def test_locations_is_an_array_of_the_guides_objects(partner: httpx.Client) -> None:
    response = partner.get("/Api/locations")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == [GUIDE_BH1]


def test_doors_show_their_contents(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    created = deliver(terminal, partner, door="C3")

    response = partner.get("/Api/locations/BH1/doors")

    assert response.status_code == 200
    doors = {d["identifier"]: d for d in response.json()["doors"]}
    assert len(doors) == 16
    inside = [p["trackingNumber"] for p in doors["C3"]["packages"]]
    assert created["trackingNumber"] in inside
    assert doors["C3"]["occupied"] is True
    assert doors["D1"]["stockSku"] == "SKU-ROUTER"
    assert doors["D2"]["minimumStockLevel"] == 2


def test_doors_of_unknown_location_is_404(partner: httpx.Client) -> None:
    response = partner.get("/Api/locations/NOWHERE/doors")

    assert_error(response, 404, "unknown_location", "locationIdentifier")
