"""Over 1000 events and a misbehaving network, every event arrives exactly once.

Between the outbox and the emulator sits a proxy that drops connections before
and after the server acts, holds answers past the client's timeout, answers
500 and 429 with Retry-After, and 401 for tokens it has revoked. Tokens live two
seconds at the emulator but the proxy holds them to 1.2 s, as a server whose
clock runs ahead would, so tokens expire mid-flow where the server sees it. The
outbox's own loop does the sending, with its real back-off (its delays scaled
down), and the emulator must have each door's events in journal order.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from kiosk.journal import Journal
from kiosk.konnect import TerminalClient
from kiosk.outbox import Outbox
from tests.support.emulator import RunningEmulator, running_emulator
from tests.support.faulty_proxy import FaultyProxy

EVENTS = 1000
DOORS = [f"{column}{row}" for column in "ABC" for row in range(1, 5)]


async def create_goods_ins(emulator: RunningEmulator) -> list[dict[str, str]]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30) as http:
        made: list[dict[str, str]] = []
        for start in range(0, EVENTS, 50):
            # Tokens live two seconds here: a fresh one for every batch.
            headers = {"Authorization": f"Bearer {emulator.partner_token()}"}
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/Api/goodsin",
                        json={
                            "locationIdentifier": "BH1",
                            "trackingNumber": f"FAULT{number:05d}",
                        },
                        headers=headers,
                    )
                    for number in range(start, min(start + 50, EVENTS))
                )
            )
            for answer in answers:
                answer.raise_for_status()
                made.append(answer.json())
        return made


async def goods_in_ids(emulator: RunningEmulator) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30) as http:
        answer = await http.get(
            "/Api/goodsin",
            params={"locationIdentifier": "BH1"},
            headers={"Authorization": f"Bearer {emulator.partner_token()}"},
        )
        answer.raise_for_status()
        return {g["trackingNumber"]: g["goodsInId"] for g in answer.json()}


async def delivered_counts(emulator: RunningEmulator, tracking: list[str]) -> list[int]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30) as http:
        counts: list[int] = []
        for start in range(0, len(tracking), 50):
            headers = {"Authorization": f"Bearer {emulator.partner_token()}"}
            answers = await asyncio.gather(
                *(
                    http.get(f"/Api/packages/{t}", headers=headers)
                    for t in tracking[start : start + 50]
                )
            )
            counts += [
                [h["event"] for h in a.json()["history"]].count("delivered")
                for a in answers
            ]
        return counts


def arrival_order(emulator: RunningEmulator) -> dict[str, list[str]]:
    """Each door's deliveries in the order the emulator recorded them."""
    with contextlib.closing(sqlite3.connect(emulator.db_path)) as db:
        rows = db.execute(
            "SELECT door, tracking_number FROM terminal_events"
            " WHERE kind = 'delivery' ORDER BY rowid"
        ).fetchall()
    order: dict[str, list[str]] = {}
    for door, tracking in rows:
        order.setdefault(door, []).append(tracking)
    return order


async def send_until_done(outbox: Outbox, journal: Journal, deadline: float) -> None:
    """Let the outbox's own loop send until nothing is owed."""
    running = asyncio.create_task(outbox.run())
    try:
        while journal.outbox_counts()["pending"]:
            assert time.monotonic() < deadline, journal.outbox_counts()
            assert not running.done(), running
            await asyncio.sleep(0.1)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_every_event_arrives_exactly_once_through_a_faulty_network(
    tmp_path: Path,
):
    with running_emulator(extra_args=["--token-lifetime", "2"]) as emulator:
        await create_goods_ins(emulator)
        ids = await goods_in_ids(emulator)
        tracking = sorted(ids)
        assert len(tracking) == EVENTS

        journal = Journal(tmp_path / "journal.sqlite3")
        for number, item in enumerate(tracking):
            journal.record(
                "delivery",
                door=DOORS[number % len(DOORS)],
                payload={"goodsInId": ids[item], "trackingNumber": item},
                report=True,
            )

        proxy = FaultyProxy(emulator.url, hang_seconds=0.7, token_lifetime=1.2)
        await proxy.start()
        client = TerminalClient(
            proxy.url,
            "BH1",
            emulator.terminal_client_id,
            SecretStr(emulator.terminal_client_secret),
            timeout=0.5,
        )
        # The real back-off, from 20 ms up to 1 s instead of 1 s up to 5 min.
        outbox = Outbox(journal, client, first_delay=0.02, max_delay=1.0)
        started = time.monotonic()
        try:
            await send_until_done(outbox, journal, started + 240)
        finally:
            await client.aclose()
            await proxy.stop()
        elapsed = time.monotonic() - started

        counts = await delivered_counts(emulator, tracking)
        arrived = arrival_order(emulator)

    outbox_counts = journal.outbox_counts()
    journal.close()
    lost = counts.count(0)
    doubled = sum(1 for c in counts if c > 1)
    expected = {door: tracking[index :: len(DOORS)] for index, door in enumerate(DOORS)}
    out_of_order = [door for door in DOORS if arrived.get(door) != expected[door]]
    unauthorised = sum(n for fate, n in proxy.fates.items() if fate.startswith("401"))
    sys.stdout.write(
        f"\nfault test: {EVENTS} events in {elapsed:.1f} s;"
        f" requests by fate {dict(sorted(proxy.fates.items()))};"
        f" 401s {unauthorised}; token requests {client.session.token_requests};"
        f" arrived once {counts.count(1)}, lost {lost}, duplicated {doubled},"
        f" doors out of order {len(out_of_order)}\n"
    )
    assert outbox_counts == {"pending": 0, "sent": EVENTS, "dead": 0}
    assert lost == 0
    assert doubled == 0
    assert out_of_order == []
    for fate in (
        "drop-before",
        "drop-after",
        "hang-after",
        "500-after",
        "429",
        "401-revoke",
        "401-expired",
    ):
        assert proxy.fates[fate] > 0, fate
