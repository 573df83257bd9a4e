"""Heartbeat status: only JSON that reads back as sent is kept, and reads never fail."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import httpx
import pytest

from tests.emulator.helpers import assert_error, unique
from tests.support.emulator import RunningEmulator, running_emulator

BEAT = "/Api/terminal/locations/BH1/heartbeat"
LAST = "/Api/locations/BH1/heartbeat"
AT = '"at": "2026-12-03T10:00:00Z"'


def _nested(levels: int) -> str:
    """A status whose innermost array is `levels` containers deep, itself included."""
    return "{" + '"x": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


def _beat(terminal: httpx.Client, status: str) -> httpx.Response:
    return terminal.post(
        BEAT,
        content=f'{{{AT}, "status": {status}}}'.encode(),
        headers={"content-type": "application/json"},
    )


@pytest.mark.parametrize(
    "status",
    [
        '{"x": "\\ud800"}',
        '{"\\udc00": 1}',
        '{"x": ["ok", "\\udfff"]}',
        _nested(300),
        _nested(9),
        '{"x": NaN}',
        '{"x": Infinity}',
        '{"x": -Infinity}',
        '{"x": 1e999}',
        '{"x": 9007199254740992}',
        '{"x": "' + "a" * 16_400 + '"}',
    ],
    ids=[
        "lone-surrogate",
        "surrogate-key",
        "surrogate-in-list",
        "300-levels",
        "9-levels",
        "nan",
        "infinity",
        "minus-infinity",
        "overflowing-float",
        "inexact-integer",
        "too-large",
    ],
)
def test_unsafe_status_is_400_and_changes_nothing(
    terminal: httpx.Client, partner: httpx.Client, status: str
) -> None:
    marker = unique("BEAT")
    assert _beat(terminal, f'{{"marker": "{marker}"}}').status_code == 204

    response = _beat(terminal, status)

    assert_error(response, 400, "invalid_field", "status")
    last = partner.get(LAST)
    assert last.status_code == 200
    assert last.json()["status"] == {"marker": marker}


def test_status_at_the_limits_is_kept_as_sent(
    terminal: httpx.Client, partner: httpx.Client
) -> None:
    status = (
        '{"deep": ' + _nested(7) + ', "n": 9007199254740991, "f": -1.5e300,'
        ' "text": "caf\\u00e9 \\ud83d\\ude00", "none": null, "yes": true}'
    )

    assert _beat(terminal, status).status_code == 204

    assert partner.get(LAST).json()["status"] == {
        "deep": {"x": [[[[[[]]]]]]},
        "n": 9007199254740991,
        "f": -1.5e300,
        "text": "café 😀",
        "none": None,
        "yes": True,
    }


@pytest.fixture(scope="module")
def own_emulator() -> Iterator[RunningEmulator]:
    # A server of its own: these tests write broken rows into its database.
    with running_emulator() as emulator:
        yield emulator


@pytest.mark.parametrize(
    "stored",
    [
        '{"x": "\\ud800"}',
        '{"\\udc00": 1}',
        _nested(300),
        _nested(100_000),
        '{"x": NaN}',
        '{"x": Infinity}',
        "[1, 2]",
        "not json",
    ],
    ids=[
        "lone-surrogate",
        "surrogate-key",
        "300-levels",
        "100000-levels",
        "nan",
        "infinity",
        "not-an-object",
        "not-json",
    ],
)
def test_whatever_is_stored_reads_back_without_a_fault(
    own_emulator: RunningEmulator, stored: str
) -> None:
    # As an emulator that did not yet check the status would have kept it.
    with sqlite3.connect(own_emulator.db_path) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO heartbeats (location, at, status, received_at)"
            " VALUES ('BH1', 1796292000, ?, 1796292000)",
            (stored,),
        )
    conn.close()
    token = own_emulator.partner_token()

    response = httpx.get(
        f"{own_emulator.url}{LAST}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] is None
    assert body["at"] == "2026-12-03T10:00:00Z"
