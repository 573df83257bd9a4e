"""The outbox: in order per door, dead letters kept, Retry-After honoured."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from pydantic import SecretStr

from kiosk.journal import Journal
from kiosk.konnect import TerminalClient
from kiosk.outbox import Outbox
from tests.support.emulator import running_emulator
from tests.support.terminal import reported_alarms


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


class ScriptedKonnect:
    """A real HTTP server on loopback that fails chosen events' first report."""

    def __init__(self, fail_first: set[str]) -> None:
        self.fail_first = set(fail_first)
        self.arrivals: list[tuple[str, str, int]] = []
        """(door, tracking number, status answered) of every report, in order."""
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if self.path.endswith("/token"):
                    self._answer(
                        200,
                        {"access_token": "t", "expires_in": 3600, "token_type": "B"},
                    )
                    return
                report = json.loads(body)
                tracking = report["trackingNumber"]
                status = 201
                if tracking in scripted.fail_first:
                    scripted.fail_first.discard(tracking)
                    status = 503
                scripted.arrivals.append((report["door"], tracking, status))
                self._answer(status, {"eventId": report["eventId"], "status": "ok"})

            def _answer(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ScriptedKonnect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


async def test_the_running_outbox_keeps_a_doors_order_behind_a_failure(
    tmp_path: Path,
):
    journal = Journal(tmp_path / "j.sqlite3")
    for door, tracking in [("A1", "a"), ("A1", "b"), ("B1", "c")]:
        deliver(journal, door, tracking)
    with ScriptedKonnect(fail_first={"a"}) as server:
        client = TerminalClient(server.url, "BH1", "id", SecretStr("s"))
        outbox = Outbox(journal, client, first_delay=0.2)
        running = asyncio.create_task(outbox.run())
        try:
            deadline = time.monotonic() + 10
            while journal.outbox_counts()["sent"] < 3:
                assert time.monotonic() < deadline, server.arrivals
                await asyncio.sleep(0.02)
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
            await client.aclose()

    door_a = [(t, s) for d, t, s in server.arrivals if d == "A1"]
    assert door_a == [("a", 503), ("a", 201), ("b", 201)]
    assert [(t, s) for d, t, s in server.arrivals if d == "B1"] == [("c", 201)]
    assert journal.outbox_counts() == {"pending": 0, "sent": 3, "dead": 0}


async def test_alarms_reach_konnect_once_each_even_when_sent_again(tmp_path: Path):
    journal = Journal(tmp_path / "j.sqlite3")
    raised = [
        journal.record(kind, door="D3", report=True)
        for kind in ("alarm_forced_open", "alarm_door_left_open", "alarm_cleared")
    ]
    nameless = journal.record("alarm_forced_open", report=True)
    with running_emulator() as emulator:
        client = emulator.terminal_client()
        outbox = Outbox(journal, client)
        try:
            assert await outbox.drain() == 3
            # A crash between Konnect's answer and the journal's note of it:
            # the same events go again, under the same keys.
            with sqlite3.connect(journal.path) as raw:
                raw.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sent'")
            assert await outbox.drain() == 3
            reported = await reported_alarms(emulator.url)
        finally:
            await client.aclose()

    assert [(a["eventId"], a["kind"], a["door"]) for a in reported] == [
        (raised[0].event_id, "forced_open", "D3"),
        (raised[1].event_id, "left_open", "D3"),
        (raised[2].event_id, "cleared", "D3"),
    ]
    assert journal.outbox_counts() == {"pending": 0, "sent": 3, "dead": 1}
    ((dead, _, error),) = journal.outbox_items("dead")
    assert dead.event_id == nameless.event_id and "no door" in str(error)
