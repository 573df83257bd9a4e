"""The outbox: in order per door, dead letters kept, Retry-After honoured."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from pydantic import SecretStr

from kiosk.journal import Journal
from kiosk.konnect import TerminalClient
from kiosk.outbox import Outbox


def konnect(answers: dict[str, list[httpx.Response]], seen: list[str]):  # type: ignore[no-untyped-def]
    async def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(
                200, json={"access_token": "t", "expires_in": 3600, "token_type": "B"}
            )
        body = json.loads(request.content)
        seen.append(body["trackingNumber"])
        queue = answers.get(body["trackingNumber"], [])
        if queue:
            return queue.pop(0)
        return httpx.Response(201, json={"eventId": body["eventId"], "status": "ok"})

    return TerminalClient(
        "http://k.test",
        "BH1",
        "id",
        SecretStr("s"),
        transport=httpx.MockTransport(handle),
    )


def deliver(journal: Journal, door: str, tracking: str) -> None:
    journal.record(
        "delivery",
        door=door,
        payload={"goodsInId": "g-" + tracking, "trackingNumber": tracking},
        report=True,
    )


async def test_a_failure_holds_back_later_events_of_its_door_only(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    for door, tracking in [("A1", "a"), ("A1", "b"), ("B1", "c")]:
        deliver(journal, door, tracking)
    seen: list[str] = []
    client = konnect({"a": [httpx.Response(503)]}, seen)
    outbox = Outbox(journal, client)

    assert await outbox.drain() == 1
    assert seen == ["a", "c"]  # b waits behind a, on the same door
    journal.retry_now()
    assert await outbox.drain() == 2
    assert seen == ["a", "c", "a", "b"]
    assert journal.outbox_counts() == {"pending": 0, "sent": 3, "dead": 0}
    await client.aclose()


async def test_a_final_refusal_is_a_dead_letter_and_does_not_block(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    deliver(journal, "A1", "a")
    deliver(journal, "A1", "b")
    seen: list[str] = []
    refusal = httpx.Response(409, json={"error": "door_not_delivery", "message": "x"})
    client = konnect({"a": [refusal]}, seen)
    outbox = Outbox(journal, client)
    assert await outbox.drain() == 1
    assert journal.outbox_counts() == {"pending": 0, "sent": 1, "dead": 1}
    await client.aclose()


async def test_retry_after_is_honoured(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    deliver(journal, "A1", "a")
    seen: list[str] = []
    slow_down = httpx.Response(429, headers={"Retry-After": "120"})
    client = konnect({"a": [slow_down]}, seen)
    outbox = Outbox(journal, client)
    await outbox.drain()
    next_at = journal.next_attempt_at()
    assert next_at is not None and next_at >= time.time() + 110
    await client.aclose()
