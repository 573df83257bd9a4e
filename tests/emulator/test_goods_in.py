"""`POST /Api/goodsin` and the emulator's listing of open goods-ins."""

from __future__ import annotations

import re

import httpx

from tests.emulator.helpers import assert_error, goods_in, unique


def test_guide_request_returns_an_access_code(partner: httpx.Client) -> None:
    tracking = unique()

    response = partner.post(
        "/Api/goodsin",
        json={
            "locationIdentifier": "BH1",
            "skuIdentifier": "SKU-SSD",
            "trackingNumber": tracking,
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "accessCode",
        "trackingNumber",
        "locationIdentifier",
        "skuIdentifier",
        "expiresAt",
    }
    assert re.fullmatch(r"\d{6}", body["accessCode"])
    assert body["trackingNumber"] == tracking
    assert body["locationIdentifier"] == "BH1"
    assert body["skuIdentifier"] == "SKU-SSD"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["expiresAt"])


def test_live_codes_at_a_location_are_unique(partner: httpx.Client) -> None:
    codes = [goods_in(partner)["accessCode"] for _ in range(40)]

    assert len(set(codes)) == len(codes)


def test_open_goods_ins_are_listed_with_their_codes(partner: httpx.Client) -> None:
    created = goods_in(partner)

    listed = partner.get("/Api/goodsin", params={"locationIdentifier": "BH1"})

    assert listed.status_code == 200
    mine = [
        g for g in listed.json() if g["trackingNumber"] == created["trackingNumber"]
    ]
    assert len(mine) == 1
    assert mine[0]["accessCode"] == created["accessCode"]
    unknown = partner.get("/Api/goodsin", params={"locationIdentifier": "NOWHERE"})
    assert_error(unknown, 404, "unknown_location", "locationIdentifier")


def test_unknown_location_is_404(partner: httpx.Client) -> None:
    response = partner.post(
        "/Api/goodsin", json={"locationIdentifier": "NOWHERE", "trackingNumber": "X"}
    )

    assert_error(response, 404, "unknown_location", "locationIdentifier")


def test_unknown_sku_is_404(partner: httpx.Client) -> None:
    response = partner.post(
        "/Api/goodsin",
        json={
            "locationIdentifier": "BH1",
            "trackingNumber": unique(),
            "skuIdentifier": "NO-SUCH-SKU",
        },
    )

    assert_error(response, 404, "unknown_sku", "skuIdentifier")


def test_tracking_number_is_required(partner: httpx.Client) -> None:
    response = partner.post("/Api/goodsin", json={"locationIdentifier": "BH1"})

    assert_error(response, 400, "invalid_field", "trackingNumber")
    blank = partner.post(
        "/Api/goodsin", json={"locationIdentifier": "BH1", "trackingNumber": "  "}
    )
    assert_error(blank, 400, "invalid_field", "trackingNumber")


def test_a_tracking_number_already_expected_is_409(partner: httpx.Client) -> None:
    created = goods_in(partner)

    again = partner.post(
        "/Api/goodsin",
        json={"locationIdentifier": "BH1", "trackingNumber": created["trackingNumber"]},
    )

    assert_error(again, 409, "duplicate_tracking_number", "trackingNumber")


def test_non_serialised_barcode_takes_its_sku_and_may_repeat(
    partner: httpx.Client,
) -> None:
    barcode = partner.get("/Api/skus").json()
    fuse = next(s for s in barcode if s["identifier"] == "SKU-FUSE")

    first = goods_in(partner, trackingNumber=fuse["barcode"])
    second = goods_in(partner, trackingNumber=fuse["barcode"])

    assert first["skuIdentifier"] == second["skuIdentifier"] == "SKU-FUSE"
    assert first["accessCode"] != second["accessCode"]


def test_preadvised_serialised_unit_takes_its_sku(partner: httpx.Client) -> None:
    tracking = unique("SSD")
    advised = partner.post(
        "/Api/skus/SKU-SSD/preadvice", json={"trackingNumber": tracking}
    )
    assert advised.status_code == 200

    created = goods_in(partner, trackingNumber=tracking)

    assert created["skuIdentifier"] == "SKU-SSD"
