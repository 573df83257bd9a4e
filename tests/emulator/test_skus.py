"""SKUs: serialised, non-serialised, pre-advice and stock doors."""

from __future__ import annotations

import httpx

from tests.emulator.helpers import assert_error, goods_in, unique


def _sku(identifier: str) -> dict[str, str]:
    return {"identifier": identifier, "description": "A part", "name": "Part"}


def test_guide_serialised_sku_with_trailing_slash(partner: httpx.Client) -> None:
    identifier = unique("SKU")

    response = partner.post("/Api/skus/", json=_sku(identifier))

    assert response.status_code == 200
    listed = {s["identifier"]: s for s in partner.get("/Api/skus").json()}
    assert listed[identifier]["serialised"] is True
    assert listed[identifier]["barcode"] is None


def test_guide_non_serialised_sku(partner: httpx.Client) -> None:
    identifier, barcode = unique("NSI"), unique("BC")

    response = partner.post(
        "/Api/skus/nsi", json=_sku(identifier) | {"barcode": barcode}
    )

    assert response.status_code == 200
    listed = {s["identifier"]: s for s in partner.get("/Api/skus").json()}
    assert listed[identifier] == {
        "identifier": identifier,
        "name": "Part",
        "description": "A part",
        "serialised": False,
        "barcode": barcode,
    }


def test_duplicate_sku_and_barcode_are_409(partner: httpx.Client) -> None:
    identifier, barcode = unique("SKU"), unique("BC")
    assert partner.post("/Api/skus", json=_sku(identifier)).status_code == 200
    assert (
        partner.post(
            "/Api/skus/nsi", json=_sku(unique("NSI")) | {"barcode": barcode}
        ).status_code
        == 200
    )

    again = partner.post("/Api/skus", json=_sku(identifier))
    same_barcode = partner.post(
        "/Api/skus/nsi", json=_sku(unique("NSI")) | {"barcode": barcode}
    )

    assert_error(again, 409, "duplicate_sku", "identifier")
    assert_error(same_barcode, 409, "duplicate_barcode", "barcode")


def test_nsi_needs_a_barcode(partner: httpx.Client) -> None:
    response = partner.post("/Api/skus/nsi", json=_sku(unique("NSI")))

    assert_error(response, 400, "invalid_field", "barcode")


def test_guide_preadvice(partner: httpx.Client) -> None:
    response = partner.post(
        "/Api/skus/SKU-ROUTER/preadvice", json={"trackingNumber": unique("RTR")}
    )

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_preadvice_needs_a_serialised_sku(partner: httpx.Client) -> None:
    response = partner.post(
        "/Api/skus/SKU-CAT6/preadvice", json={"trackingNumber": unique()}
    )

    assert_error(response, 409, "sku_not_serialised", "identifier")


def test_preadvice_of_unknown_sku_is_404_and_twice_is_409(
    partner: httpx.Client,
) -> None:
    tracking = unique("RTR")
    unknown = partner.post("/Api/skus/NOPE/preadvice", json={"trackingNumber": "1"})
    first = partner.post(
        "/Api/skus/SKU-ROUTER/preadvice", json={"trackingNumber": tracking}
    )

    again = partner.post(
        "/Api/skus/SKU-SSD/preadvice", json={"trackingNumber": tracking}
    )

    assert_error(unknown, 404, "unknown_sku", "identifier")
    assert first.status_code == 200
    assert_error(again, 409, "duplicate_tracking_number", "trackingNumber")


def test_preadvice_of_a_non_serialised_skus_barcode_is_409(
    partner: httpx.Client,
) -> None:
    # 5000000000012 is the barcode every SKU-FUSE part carries.
    response = partner.post(
        "/Api/skus/SKU-ROUTER/preadvice", json={"trackingNumber": "5000000000012"}
    )

    assert_error(response, 409, "tracking_number_is_sku_barcode", "trackingNumber")
    assert "SKU-FUSE" in response.json()["message"]
    # Had it been kept, a goods-in of that barcode would now mean a router.
    assert goods_in(partner, trackingNumber="5000000000012")["skuIdentifier"] == (
        "SKU-FUSE"
    )


def test_sku_whose_barcode_is_already_preadvised_is_409(
    partner: httpx.Client,
) -> None:
    tracking, identifier = unique("RTR"), unique("NSI")
    assert (
        partner.post(
            "/Api/skus/SKU-ROUTER/preadvice", json={"trackingNumber": tracking}
        ).status_code
        == 200
    )

    response = partner.post(
        "/Api/skus/nsi", json=_sku(identifier) | {"barcode": tracking}
    )

    assert_error(response, 409, "barcode_preadvised", "barcode")
    assert "SKU-ROUTER" in response.json()["message"]
    listed = {s["identifier"] for s in partner.get("/Api/skus").json()}
    assert identifier not in listed


def test_guide_stock_door_and_its_rules(partner: httpx.Client) -> None:
    guide = partner.post(
        "/Api/skus/SKU-SSD/doors", json={"doorIdentifier": "D3", "minimumStockLevel": 0}
    )
    delivery_door = partner.post(
        "/Api/skus/SKU-SSD/doors", json={"doorIdentifier": "A1", "minimumStockLevel": 0}
    )
    taken = partner.post(
        "/Api/skus/SKU-SSD/doors", json={"doorIdentifier": "D1", "minimumStockLevel": 0}
    )
    unknown = partner.post("/Api/skus/SKU-SSD/doors", json={"doorIdentifier": "Q7"})
    negative = partner.post(
        "/Api/skus/SKU-SSD/doors",
        json={"doorIdentifier": "D3", "minimumStockLevel": -1},
    )

    assert guide.status_code == 200
    doors = {
        d["identifier"]: d
        for d in partner.get("/Api/locations/BH1/doors").json()["doors"]
    }
    assert doors["D3"]["stockSku"] == "SKU-SSD"
    assert_error(delivery_door, 409, "door_not_inventory", "doorIdentifier")
    assert_error(taken, 409, "door_assigned", "doorIdentifier")
    assert_error(unknown, 404, "unknown_door", "doorIdentifier")
    assert_error(negative, 400, "invalid_field", "minimumStockLevel")


def test_guide_stock_summary(partner: httpx.Client) -> None:
    response = partner.get("/Api/locations/BH1/skus/SKU-CAT6/summary")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"totalNumberOfPackages", "availableNumberOfPackages"}
    assert body["totalNumberOfPackages"] >= body["availableNumberOfPackages"] >= 0
    assert_error(
        partner.get("/Api/locations/NOPE/skus/SKU-CAT6/summary"),
        404,
        "unknown_location",
    )
    assert_error(
        partner.get("/Api/locations/BH1/skus/NOPE/summary"), 404, "unknown_sku"
    )
