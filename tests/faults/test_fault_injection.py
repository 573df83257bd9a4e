"""Over 1000 events and a misbehaving network, every event arrives exactly once.

Between the outbox and the emulator sits a proxy that drops connections before
and after the server acts, holds answers past the client's timeout, answers
500 and 429 with Retry-After; tokens live two seconds, so they expire
mid-flow. The outbox keeps going until nothing is owed.
"""

from __future__ import annotations

import asyncio
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


@pytest.mark.slow
@pytest.mark.timeout(600)
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

        proxy = FaultyProxy(emulator.url)
        await proxy.start()
        client = TerminalClient(
            proxy.url,
            "BH1",
            emulator.terminal_client_id,
            SecretStr(emulator.terminal_client_secret),
            timeout=0.5,
        )
        outbox = Outbox(journal, client)
        started = time.monotonic()
        rounds = 0
        try:
            while journal.outbox_counts()["pending"] and rounds < 200:
                rounds += 1
                await outbox.drain()
                journal.retry_now()  # skip the backoff waits: the test has no time
        finally:
            await client.aclose()
            await proxy.stop()
        elapsed = time.monotonic() - started

        counts = await delivered_counts(emulator, tracking)

    outbox_counts = journal.outbox_counts()
    journal.close()
    lost = counts.count(0)
    doubled = sum(1 for c in counts if c > 1)
    sys.stdout.write(
        f"\nfault test: {EVENTS} events in {elapsed:.1f} s over {rounds} rounds;"
        f" requests by fate {dict(sorted(proxy.fates.items()))};"
        f" token requests {client.session.token_requests};"
        f" arrived once {counts.count(1)}, lost {lost}, duplicated {doubled}\n"
    )
    assert outbox_counts == {"pending": 0, "sent": EVENTS, "dead": 0}
    assert lost == 0
    assert doubled == 0
    for fate in ("drop-before", "drop-after", "hang-after", "500-after", "429"):
        assert proxy.fates[fate] > 0, fate
