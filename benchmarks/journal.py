"""The journal's durable append latency, and the outbox's drain rate.

An append is one `Journal.record` of a delivery with its outbox row: a SQLite
transaction in WAL mode with synchronous=FULL, on disk when it returns. The
drain rate is the outbox sending deliveries to a local emulator over HTTP.

The files go in the system's temporary folder. A durable append costs what the
disk's flush costs, so to measure the disk a terminal's journal will live on,
name a folder there in `KIOSK_BENCH_DIR`; the figures say which folder it was.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
APPENDS = 2000
DRAINED = 500
FOLDER_VARIABLE = "KIOSK_BENCH_DIR"


def _appends(folder: Path) -> list[float]:
    from kiosk.journal import Journal

    journal = Journal(folder / "journal.sqlite3")
    times = []
    for number in range(APPENDS):
        started = time.perf_counter()
        journal.record(
            "delivery",
            door="A1",
            payload={"goodsInId": f"g{number}", "trackingNumber": f"T{number}"},
            report=True,
        )
        times.append(time.perf_counter() - started)
    journal.close()
    return times


async def _drain(folder: Path, url: str, partner_token: str) -> float:
    from pydantic import SecretStr

    from kiosk.journal import Journal
    from kiosk.konnect import TerminalClient
    from kiosk.outbox import Outbox

    headers = {"Authorization": f"Bearer {partner_token}"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for start in range(0, DRAINED, 50):
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/Api/goodsin",
                        json={"locationIdentifier": "BH1", "trackingNumber": f"B{n}"},
                        headers=headers,
                    )
                    for n in range(start, start + 50)
                )
            )
            for answer in answers:
                answer.raise_for_status()
        listing = await http.get(
            "/Api/goodsin", params={"locationIdentifier": "BH1"}, headers=headers
        )
        ids = {g["trackingNumber"]: g["goodsInId"] for g in listing.json()}

    journal = Journal(folder / "drain.sqlite3")
    for tracking, goods_in in ids.items():
        journal.record(
            "delivery",
            door="A1",
            payload={"goodsInId": goods_in, "trackingNumber": tracking},
            report=True,
        )
    client = TerminalClient(
        url, "BH1", "bh1-terminal", SecretStr("bh1-terminal-secret")
    )
    outbox = Outbox(journal, client)
    started = time.perf_counter()
    sent = await outbox.drain()
    elapsed = time.perf_counter() - started
    await client.aclose()
    journal.close()
    return sent / elapsed


def main() -> int:
    """Print the append latency and the drain rate."""
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.emulator import running_emulator

    parent = os.environ.get(FOLDER_VARIABLE) or None
    with tempfile.TemporaryDirectory(prefix="journal-bench-", dir=parent) as tmp:
        times = sorted(t * 1000 for t in _appends(Path(tmp)))
        with running_emulator() as emulator:
            rate = asyncio.run(
                _drain(Path(tmp), emulator.url, emulator.partner_token())
            )
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    sys.stdout.write(
        f"journal files in {parent or tempfile.gettempdir()}\n"
        f"journal durable append ({APPENDS}, WAL, synchronous=FULL):"
        f" p50 {p50:.2f} ms, p99 {p99:.2f} ms\n"
        f"outbox drain to the local emulator ({DRAINED} deliveries):"
        f" {rate:.0f} events/s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
