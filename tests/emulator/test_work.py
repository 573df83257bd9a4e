"""The work a terminal caches for offline use: goods-in codes and engineers."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from kiosk.emulator.database import Database
from kiosk.emulator.seed import Seed, apply_seed
from tests.emulator.helpers import unique
from tests.support.emulator import RunningEmulator, emulator_seeded_with

DOOR = {"profile": "Delivery", "size": "M", "column": 1, "row": 1, "heightCm": 60}
ADDRESS = {
    "address1": "1 Yard",
    "address2": "Depot",
    "address3": "",
    "address4": "",
    "address5": "",
    "postalCode": "W1 1WW",
    "country": {"name": "United Kingdom", "code": "UK"},
}
SEED: dict[str, Any] = {
    "clients": [
        {"clientId": "p", "secret": "s", "scope": "StockonnectPartnerAPI",
         "preadviceEnabled": True, "user": "admin"},
        {"clientId": "t", "secret": "s", "scope": "KonnectTerminalAPI",
         "location": "W"},
    ],
    "locations": [
        {"name": "Works", "identifier": "W", "latitude": 1.0, "longitude": 1.0,
         "address": ADDRESS,
         "doors": [{**DOOR, "identifier": f"A{n}", "row": n} for n in range(1, 5)]},
        {"name": "Elsewhere", "identifier": "X", "latitude": 2.0, "longitude": 2.0,
         "address": ADDRESS, "doors": [{**DOOR, "identifier": "A1"}]},
    ],
    "users": [
        {"identifier": "admin", "name": "Admin", "role": "Admin"},
        {"identifier": "eng", "name": "Eve Engineer", "role": "Engineer",
         "pin": "1111"},
        {"identifier": "eng2", "name": "Ed Engineer", "role": "Engineer",
         "pin": "2222"},
        {"identifier": "off", "name": "Old Engineer", "role": "Engineer",
         "pin": "3333", "enabled": False},
        {"identifier": "nopin", "name": "New Engineer", "role": "Engineer"},
        {"identifier": "courier", "name": "Cy Courier", "role": "Carrier",
         "pin": "4444"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    with emulator_seeded_with(SEED, tmp_path_factory.mktemp("seed")) as running:
        yield running


@pytest.fixture(scope="module")
def partner(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with emulator.bearer("p", "s", "StockonnectPartnerAPI") as client:
        yield client


@pytest.fixture(scope="module")
def terminal(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with emulator.bearer("t", "s", "KonnectTerminalAPI") as client:
        yield client


def _report(terminal: httpx.Client, kind: str, **body: str) -> None:
    event_id = str(uuid.uuid4())
    response = terminal.post(
        f"/Api/terminal/locations/W/{kind}",
        headers={"Idempotency-Key": event_id},
        json={"eventId": event_id, "occurredAt": "2026-12-03T10:00:00Z", **body},
    )
    assert response.status_code == 201, response.text


def _delivered(partner: httpx.Client, terminal: httpx.Client, door: str) -> str:
    tracking = unique()
    created = partner.post(
        "/Api/goodsin", json={"locationIdentifier": "W", "trackingNumber": tracking}
    )
    assert created.status_code == 200, created.text
    verified = terminal.post(
        "/Api/terminal/locations/W/codes/verify",
        json={"code": created.json()["accessCode"]},
    )
    _report(
        terminal,
        "deliveries",
        goodsInId=verified.json()["goodsInId"],
        trackingNumber=tracking,
        door=door,
    )
    return tracking


def _engineers(terminal: httpx.Client) -> dict[str, dict[str, Any]]:
    response = terminal.get("/Api/terminal/locations/W/work")
    assert response.status_code == 200, response.text
    return {e["userIdentifier"]: e for e in response.json()["engineers"]}


def test_only_enabled_engineers_with_a_pin_are_sent(terminal: httpx.Client) -> None:
    engineers = _engineers(terminal)

    assert set(engineers) == {"eng", "eng2"}
    assert engineers["eng"]["pin"] == "1111"
    assert engineers["eng"]["name"] == "Eve Engineer"


def test_an_engineer_gets_assigned_packages_orders_and_doors_here(
    partner: httpx.Client, terminal: httpx.Client
) -> None:
    assigned = _delivered(partner, terminal, "A1")
    on_order = _delivered(partner, terminal, "A2")
    on_the_way = unique()
    partner.post(
        "/Api/goodsin", json={"locationIdentifier": "W", "trackingNumber": on_the_way}
    ).raise_for_status()
    for barcode in (assigned, on_the_way):
        partner.post(
            "/Api/users/eng/packagecollectionassignments", json={"barcode": barcode}
        ).raise_for_status()
    reference = unique("JOB")
    partner.post(
        "/Api/orders/job",
        json={
            "orderReference": reference,
            "user": "eng2",
            "packages": [{"barcode": on_order, "location": "W", "door": "A2"}],
        },
    ).raise_for_status()
    partner.post("/Api/users/eng/door/A4?locationIdentifier=W").raise_for_status()

    engineers = _engineers(terminal)

    assert engineers["eng"]["collections"] == [
        {"trackingNumber": assigned, "door": "A1", "orderReference": None}
    ]
    assert engineers["eng"]["doors"] == ["A4"]
    assert engineers["eng2"]["collections"] == [
        {"trackingNumber": on_order, "door": "A2", "orderReference": reference}
    ]
    assert engineers["eng2"]["doors"] == []

    _report(terminal, "collections", trackingNumber=assigned, door="A1")
    _report(terminal, "collections", trackingNumber=on_order, door="A2")

    engineers = _engineers(terminal)
    assert engineers["eng"]["collections"] == []
    assert engineers["eng2"]["collections"] == []
    assert engineers["eng"]["doors"] == ["A4"]


def _seed(**user: Any) -> Seed:
    return Seed.model_validate({**SEED, "users": [*SEED["users"], user]})


def test_a_pin_two_users_share_is_refused_by_the_seed(tmp_path: Path) -> None:
    seed = _seed(identifier="twin", name="Twin", role="Engineer", pin="1111")

    with pytest.raises(ValueError, match="inconsistent"):
        apply_seed(Database(tmp_path / "e.sqlite3"), seed)


@pytest.mark.parametrize("pin", ["12", "123456789", "12a4", ""])
def test_a_pin_must_be_four_to_eight_digits(pin: str) -> None:
    with pytest.raises(ValidationError, match="pin"):
        _seed(identifier="bad", name="Bad", role="Engineer", pin=pin)


def test_a_database_from_before_pins_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE users (identifier TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " role TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1)"
        )
        old.execute("INSERT INTO users VALUES ('eng', 'Eve', 'Engineer', 1)")
    old.close()

    db = Database(path)
    with db.transaction() as conn:
        conn.execute("UPDATE users SET pin = '9999' WHERE identifier = 'eng'")
        row = conn.execute("SELECT name, pin FROM users").fetchone()
    db.close()

    assert tuple(row) == ("Eve", "9999")
