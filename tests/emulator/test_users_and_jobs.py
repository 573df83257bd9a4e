"""Permanent doors, temporary access and job orders, through to collection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.emulator.helpers import (
    assert_error,
    collect,
    deliver,
    deliver_goods_in,
    goods_in,
    unique,
)
from tests.support.emulator import PARTNER_SCOPE, TERMINAL_SCOPE, running_emulator


def _notes(partner: httpx.Client, kind: str, recipient: str) -> list[dict[str, Any]]:
    response = partner.get(
        "/Api/notifications", params={"kind": kind, "recipient": recipient}
    )
    assert response.status_code == 200
    notes: list[dict[str, Any]] = response.json()
    return notes


def test_guide_permanent_door_assignment(partner: httpx.Client) -> None:
    response = partner.post("/Api/users/eng-1/door/C4")
    again = partner.post("/Api/users/eng-1/door/C4")

    assert response.status_code == 200
    assert again.status_code == 200
    users = {u["identifier"]: u for u in partner.get("/Api/users").json()}
    assert "BH1/C4" in users["eng-1"]["doors"]


def test_door_of_another_user_is_409(partner: httpx.Client) -> None:
    assert partner.post("/Api/users/eng-1/door/B4").status_code == 200

    response = partner.post("/Api/users/courier-1/door/B4")

    assert_error(response, 409, "door_assigned", "doorIdentifier")


def test_occupied_door_cannot_be_assigned(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    deliver(terminal, partner, door="B3")

    response = partner.post("/Api/users/eng-1/door/B3")

    assert_error(response, 409, "door_occupied", "doorIdentifier")


def test_door_assignment_unknowns_are_404(partner: httpx.Client) -> None:
    assert_error(partner.post("/Api/users/ghost/door/A1"), 404, "unknown_user")
    assert_error(partner.post("/Api/users/eng-1/door/Z9"), 404, "unknown_door")
    assert_error(
        partner.post("/Api/users/eng-1/door/A1?locationIdentifier=NOPE"),
        404,
        "unknown_location",
    )


def test_delivery_into_an_assigned_door_notifies_its_owner(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    assert partner.post("/Api/users/admin-1/door/C1").status_code == 200

    created = deliver(terminal, partner, door="C1")

    notes = _notes(partner, "delivery_made", "admin-1")
    assert any(n["data"]["trackingNumber"] == created["trackingNumber"] for n in notes)


def test_guide_collection_assignment_notifies_the_user(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    created = deliver(terminal, partner, door="A2")

    response = partner.post(
        "/Api/users/eng-1/packagecollectionassignments",
        json={"barcode": created["trackingNumber"]},
    )

    assert response.status_code == 200
    notes = _notes(partner, "package_assigned", "eng-1")
    mine = [
        n for n in notes if n["data"]["trackingNumber"] == created["trackingNumber"]
    ]
    # eng-1 has an email address: the app's push and an email, once each.
    assert sorted(n["channel"] for n in mine) == ["email", "push"]
    assert all("A2" in str(n["message"]) for n in mine)
    emails = partner.get(
        "/Api/notifications", params={"recipient": "eng-1", "channel": "email"}
    ).json()
    assert all(n["channel"] == "email" for n in emails)
    assert any(n["data"]["trackingNumber"] == created["trackingNumber"] for n in emails)


def test_a_user_without_an_email_address_is_only_pushed(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    created = deliver(terminal, partner, door="A2")

    partner.post(
        "/Api/users/courier-1/packagecollectionassignments",
        json={"barcode": created["trackingNumber"]},
    ).raise_for_status()

    notes = _notes(partner, "package_assigned", "courier-1")
    mine = [
        n for n in notes if n["data"]["trackingNumber"] == created["trackingNumber"]
    ]
    assert [n["channel"] for n in mine] == ["push"]


def test_collection_assignment_rules(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    created = deliver(terminal, partner, door="A2")
    path = "/Api/users/{}/packagecollectionassignments"
    assert collect(terminal, created["trackingNumber"], "A2").status_code == 201

    collected = partner.post(
        path.format("eng-1"), json={"barcode": created["trackingNumber"]}
    )
    unknown_user = partner.post(path.format("ghost"), json={"barcode": "X"})
    unknown_package = partner.post(path.format("eng-1"), json={"barcode": unique()})
    no_barcode = partner.post(path.format("eng-1"), json={})

    assert_error(collected, 409, "already_collected", "barcode")
    assert_error(unknown_user, 404, "unknown_user", "userIdentifier")
    assert_error(unknown_package, 404, "unknown_package", "barcode")
    assert_error(no_barcode, 400, "invalid_field", "barcode")


def test_job_order_completes_when_all_collected_and_access_ends(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    first = deliver(terminal, partner, door="A1")
    second = deliver(terminal, partner, door="B2")
    reference = unique("JOB")

    created = partner.post(
        "/Api/orders/job",
        json={
            "orderReference": reference,
            "user": "eng-1",
            "packages": [
                {"barcode": first["trackingNumber"], "location": "BH1", "door": "A1"},
                {"barcode": second["trackingNumber"], "location": "BH1", "door": "B2"},
            ],
        },
    )

    assert created.status_code == 200
    assert created.json()["state"] == "active"
    ready = _notes(partner, "order_ready", "eng-1")
    assert any(n["data"]["orderReference"] == reference for n in ready)
    doors = {
        d["identifier"]: d
        for d in partner.get("/Api/locations/BH1/doors").json()["doors"]
    }
    assert "eng-1" in doors["A1"]["accessUsers"]

    assert collect(terminal, first["trackingNumber"], "A1").status_code == 201
    assert partner.get(f"/Api/orders/{reference}").json()["state"] == "active"
    assert collect(terminal, second["trackingNumber"], "B2").status_code == 201

    order = partner.get(f"/Api/orders/{reference}").json()
    assert order["state"] == "complete"
    assert order["completedAt"] is not None
    assert all(p["collected"] for p in order["packages"])
    doors = {
        d["identifier"]: d
        for d in partner.get("/Api/locations/BH1/doors").json()["doors"]
    }
    assert "eng-1" not in doors["A1"]["accessUsers"]
    assert "eng-1" not in doors["B2"]["accessUsers"]
    state = partner.get(f"/Api/packages/{first['trackingNumber']}").json()
    assert state["state"] == "collected"
    assert [h["event"] for h in state["history"]] == [
        "preadvised",
        "delivered",
        "collected",
    ]


def test_job_order_before_delivery_is_ready_once_delivered(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    created = goods_in(partner)
    reference = unique("JOB")
    job = {
        "orderReference": reference,
        "user": "eng-1",
        "packages": [
            {"barcode": created["trackingNumber"], "location": "BH1", "door": "A1"}
        ],
    }
    assert partner.post("/Api/orders/job", json=job).status_code == 200
    ready = _notes(partner, "order_ready", "eng-1")
    assert not any(n["data"]["orderReference"] == reference for n in ready)

    verified = terminal.post(
        "/Api/terminal/locations/BH1/codes/verify", json={"code": created["accessCode"]}
    ).json()
    event = unique("EV")
    terminal.post(
        "/Api/terminal/locations/BH1/deliveries",
        headers={"Idempotency-Key": event},
        json={
            "eventId": event,
            "goodsInId": verified["goodsInId"],
            "trackingNumber": created["trackingNumber"],
            "door": "C2",
            "occurredAt": "2026-01-01T12:00:00Z",
        },
    )

    ready = _notes(partner, "order_ready", "eng-1")
    assert any(n["data"]["orderReference"] == reference for n in ready)
    order = partner.get(f"/Api/orders/{reference}").json()
    assert order["packages"][0]["door"] == "C2"


@pytest.fixture
def fresh() -> Iterator[tuple[httpx.Client, httpx.Client]]:
    # A server of its own, so no other test's orders give access to its doors.
    with running_emulator() as emulator:
        partner = emulator.bearer(
            emulator.partner_client_id, emulator.partner_client_secret, PARTNER_SCOPE
        )
        terminal = emulator.bearer(
            emulator.terminal_client_id,
            emulator.terminal_client_secret,
            TERMINAL_SCOPE,
        )
        with partner, terminal:
            yield partner, terminal


def _access(partner: httpx.Client) -> dict[str, list[str]]:
    doors = partner.get("/Api/locations/BH1/doors").json()["doors"]
    return {d["identifier"]: d["accessUsers"] for d in doors}


def test_job_order_access_follows_packages_to_their_real_doors(
    fresh: tuple[httpx.Client, httpx.Client],
) -> None:
    partner, terminal = fresh
    inside = deliver(terminal, partner, door="A1")
    guessed_same, guessed_other = goods_in(partner), goods_in(partner)
    reference = unique("JOB")

    created = partner.post(
        "/Api/orders/job",
        json={
            "orderReference": reference,
            "user": "eng-1",
            "packages": [
                {"barcode": inside["trackingNumber"], "location": "BH1", "door": "A1"},
                {
                    "barcode": guessed_same["trackingNumber"],
                    "location": "BH1",
                    "door": "A1",
                },
                {
                    "barcode": guessed_other["trackingNumber"],
                    "location": "BH1",
                    "door": "B3",
                },
            ],
        },
    )

    assert created.status_code == 200, created.text
    before = _access(partner)
    assert before["A1"] == ["eng-1"]
    # Until its package is in it, a door the order names opens for nobody.
    assert before["B3"] == []

    deliver_goods_in(terminal, guessed_same, "C2")
    deliver_goods_in(terminal, guessed_other, "C3")

    after = _access(partner)
    assert after["A1"] == ["eng-1"]
    assert after["C2"] == ["eng-1"]
    assert after["C3"] == ["eng-1"]
    assert after["B3"] == []
    assert {d for d, users in after.items() if users} == {"A1", "C2", "C3"}

    for package, door in ((inside, "A1"), (guessed_same, "C2"), (guessed_other, "C3")):
        assert collect(terminal, package["trackingNumber"], door).status_code == 201
    assert not any(_access(partner).values())


def test_job_order_rules(partner: httpx.Client, terminal: httpx.Client) -> None:
    package = deliver(terminal, partner, door="A1")
    reference = unique("JOB")

    def job(**changes: Any) -> httpx.Response:
        line = {"barcode": package["trackingNumber"], "location": "BH1", "door": "A1"}
        body: dict[str, Any] = {
            "orderReference": reference,
            "user": "eng-1",
            "packages": [line],
        }
        for key, value in changes.items():
            if key in line:
                line[key] = value
            else:
                body[key] = value
        return partner.post("/Api/orders/job", json=body)

    assert_error(job(user="ghost"), 404, "unknown_user", "user")
    assert_error(job(barcode=unique()), 404, "unknown_package", "packages.0.barcode")
    assert_error(job(door="Z9"), 404, "unknown_door", "packages.0.door")
    assert_error(job(location="NOPE"), 404, "unknown_location", "packages.0.location")
    assert_error(job(door="A2"), 409, "package_not_at_door", "packages.0.door")
    assert_error(job(packages=[]), 400, "invalid_field", "packages")
    assert job().status_code == 200
    assert_error(job(), 409, "duplicate_order_reference", "orderReference")
    other = job(orderReference=unique("JOB"))
    assert_error(other, 409, "package_on_order", "packages.0.barcode")
    assert_error(partner.get("/Api/orders/NOPE"), 404, "unknown_order")


def test_collection_of_a_package_not_in_the_door_is_409(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    package = deliver(terminal, partner, door="A1")

    response = collect(terminal, package["trackingNumber"], "A4")

    assert_error(response, 409, "package_not_at_door", "trackingNumber")
