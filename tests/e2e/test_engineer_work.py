"""Collections and restocks reach Konnect, and engineers' work is kept offline."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from kiosk.journal import Journal
from kiosk.konnect import wire
from kiosk.offline import CodeCache, Collectable
from kiosk.outbox import Outbox
from tests.support.emulator import running_emulator

PIN = "2468"  # eng-1's PIN in the demo seed


async def test_engineer_work_is_cached_hashed_and_collections_are_reported(
    tmp_path: Path,
) -> None:
    with running_emulator() as emulator:
        partner = emulator.partner_client()
        terminal = emulator.terminal_client()
        journal = Journal(tmp_path / "journal.sqlite3")
        outbox = Outbox(journal, terminal)
        cache = CodeCache(journal, b"k" * 32)
        reads = httpx.AsyncClient(
            base_url=emulator.url,
            headers={"Authorization": f"Bearer {emulator.partner_token()}"},
        )
        try:
            receipt = await partner.goods_in("BH1", "PKG-ENG-1")
            code = await terminal.verify_code(receipt.access_code)
            assert isinstance(code, wire.GoodsInCode)
            journal.record(
                "delivery",
                door="A3",
                payload={"goodsInId": code.goods_in_id, "trackingNumber": "PKG-ENG-1"},
                report=True,
            )
            assert await outbox.drain() == 1
            await partner.assign_package("eng-1", "PKG-ENG-1")
            await partner.assign_door("eng-1", "C4")

            assert cache.replace(await terminal.work()) == (0, 1)

            found = cache.engineer(PIN)
            assert found is not None
            assert (found.user, found.name, found.doors) == (
                "eng-1",
                "Demo Engineer",
                ("C4",),
            )
            assert found.collections == (Collectable("PKG-ENG-1", "A3", None),)
            assert cache.engineer("0000") is None
            assert cache.engineer("") is None
            with sqlite3.connect(journal.path) as raw:
                stored = raw.execute("SELECT * FROM engineer_cache").fetchall()
            assert len(stored) == 1 and PIN not in stored[0][0]
            assert len(stored[0][0]) == 64  # an HMAC-SHA256, not the PIN

            # Offline, the collection is journaled: the package is no longer offered.
            journal.record(
                "collection",
                door="A3",
                payload={"trackingNumber": "PKG-ENG-1", "userIdentifier": "eng-1"},
                report=True,
            )
            assert cache.engineer(PIN).collections == ()  # type: ignore[union-attr]

            before = await partner.stock_summary("BH1", "SKU-ROUTER")
            journal.record(
                "restock",
                door="D1",
                payload={"skuIdentifier": "SKU-ROUTER", "trackingNumber": "RTR-0099"},
                report=True,
            )
            journal.record("collection", door="A1", payload={}, report=True)

            assert await outbox.drain() == 2
            assert journal.outbox_counts() == {"pending": 0, "sent": 3, "dead": 1}
            ((dead, _, error),) = journal.outbox_items("dead")
            assert dead.kind == "collection" and "trackingNumber" in str(error)
            package = (await reads.get("/Api/packages/PKG-ENG-1")).json()
            assert package["state"] == "collected"
            after = await partner.stock_summary("BH1", "SKU-ROUTER")
            assert after.total == before.total + 1
            cache.replace(await terminal.work())
            assert cache.engineer(PIN).collections == ()  # type: ignore[union-attr]
        finally:
            await reads.aclose()
            journal.close()
            await partner.aclose()
            await terminal.aclose()


def test_an_old_work_answer_without_engineers_still_parses() -> None:
    work = wire.Work.model_validate({"location": "BH1", "goodsIn": []})

    assert work.engineers == []


def test_the_same_digits_as_pin_and_code_hash_apart(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    cache = CodeCache(journal, b"k" * 32)
    work = wire.Work.model_validate(
        {
            "location": "BH1",
            "goodsIn": [
                {"goodsInId": "g1", "accessCode": "123456", "trackingNumber": "T1",
                 "expiresAt": "2999-01-01T00:00:00Z"}
            ],
            "engineers": [
                {"userIdentifier": "e", "name": "E", "pin": "123456",
                 "doors": ["A1"], "collections": []}
            ],
        }
    )  # fmt: skip
    cache.replace(work)

    found = cache.engineer("123456")
    assert found is not None and found.doors == ("A1",)
    journal.close()
    with sqlite3.connect(journal.path) as raw:
        codes = {row[0] for row in raw.execute("SELECT code_hash FROM code_cache")}
        pins = {row[0] for row in raw.execute("SELECT pin_hash FROM engineer_cache")}
    assert codes and pins and codes.isdisjoint(pins)
