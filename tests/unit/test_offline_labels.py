"""Which cached pre-advice a scanned label belongs to, with no network at all."""

from __future__ import annotations

from pathlib import Path

from kiosk.journal import Journal
from kiosk.konnect import wire
from kiosk.offline import CodeCache
from kiosk.scan import interpret
from kiosk.workflows import messages as m


def cache_with(
    tmp_path: Path, *tracking_numbers: str, journal: Journal | None = None
) -> CodeCache:
    journal = journal or Journal(tmp_path / "journal.sqlite3")
    cache = CodeCache(journal, b"k" * 32)
    cache.replace(
        wire.Work(
            location="BH1",
            goodsIn=[
                wire.WorkGoodsIn(
                    goodsInId=f"gi-{number}",
                    accessCode=f"{100000 + number}",
                    trackingNumber=tracking,
                    expiresAt="2999-01-01T00:00:00Z",
                )
                for number, tracking in enumerate(tracking_numbers)
            ],
        )
    )
    return cache


def test_an_exact_label_wins_over_a_near_miss_of_another(tmp_path: Path):
    cache = cache_with(tmp_path, "1Z5R89390357567127X", "1Z5R89390357567127")
    found = cache.find_package(interpret(b"1Z5R89390357567127"))
    assert found == m.PackageFound(m.GoodsIn("gi-1", "1Z5R89390357567127"))


def test_the_start_of_a_free_text_reference_is_not_a_misread(tmp_path: Path):
    cache = cache_with(tmp_path, "ORDER-1234-2")
    assert cache.find_package(interpret(b"ORDER-1234")) == m.PackageNotFound(
        "unknown_package"
    )


def test_a_cut_carrier_number_still_asks_for_a_rescan(tmp_path: Path):
    cache = cache_with(tmp_path, "1Z5R89390357567127")
    assert cache.find_package(interpret(b"1Z5R8939035756712")) == m.PackageNotFound(
        "near_miss"
    )


def test_a_label_delivered_here_and_gone_from_the_work_is_said_to_be(tmp_path: Path):
    journal = Journal(tmp_path / "journal.sqlite3")
    cache = cache_with(tmp_path, "1Z5R89390357567127", journal=journal)
    journal.record(
        "delivery",
        door="A1",
        payload={"goodsInId": "gi-0", "trackingNumber": "1Z5R89390357567127"},
    )
    cache.replace(wire.Work(location="BH1", goodsIn=[]))
    assert cache.find_package(interpret(b"1Z5R89390357567127")) == m.PackageNotFound(
        "code_used"
    )
