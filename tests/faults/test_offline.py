"""Deliveries go on while Konnect cannot be reached, and are reported once after.

A courier delivers with Konnect down; the terminal is restarted while still
offline; Konnect comes back and hears of the delivery exactly once.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from tests.support.emulator import free_port, running_emulator
from tests.support.headless import (
    Bank,
    Terminal,
    answers,
    count_events,
    deliveries_at_emulator,
    goods_in,
    journaled,
    process,
    wait_for,
)
from tests.support.terminal import write_config

DOORS = [f"{column}{row}" for column in "ABCD" for row in range(1, 5)]


def cached_codes(journal: Path) -> int:
    try:
        with sqlite3.connect(journal) as db:
            (count,) = db.execute("SELECT COUNT(*) FROM code_cache").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(count)


def pending(journal: Path) -> int:
    with sqlite3.connect(journal) as db:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"
        ).fetchone()
    return int(count)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_an_offline_delivery_survives_a_restart_and_is_reported_once(
    tmp_path: Path,
):
    port = free_port()
    db = tmp_path / "konnect.sqlite3"
    journal = tmp_path / "var" / "journal.sqlite3"
    config = write_config(
        tmp_path / "kiosk.toml",
        tmp=tmp_path,
        konnect_url=f"http://127.0.0.1:{port}",
        boards=[DOORS[:8], DOORS[8:]],
        extra="[ui]\ndone_seconds = 0.1\n",
    )
    # The sync interval is short so that the test need not wait a minute.
    text = config.read_text().replace(
        "timeout_seconds = 2", "timeout_seconds = 1\nsync_seconds = 0.5"
    )
    config.write_text(text)
    bank = Bank(tmp_path / "sim" / "control.sock")

    with process(["sim", "world", "--config", str(config)], tmp_path / "w.log"):
        wait_for(lambda: answers(bank), 20, "the simulated world")
        terminal = Terminal(config, tmp_path / "terminal.log", bank)
        try:
            with running_emulator(db_path=db, port=port) as konnect:
                token = konnect.partner_token()
                with httpx.Client(base_url=konnect.url, timeout=10) as http:
                    code = goods_in(http, token, "OFFLINE0001")
                terminal.ensure_running()
                wait_for(lambda: cached_codes(journal) == 1, 20, "the code cache")

            # Konnect is gone. The courier delivers all the same.
            bank.ask(op="scan", data=code)
            wait_for(lambda: bank.open_doors(), 15, "a door to open")
            (door,) = bank.open_doors()
            time.sleep(0.3)
            bank.ask(op="put", door=door)
            bank.ask(op="close", door=door)
            wait_for(lambda: journaled(journal, "OFFLINE0001"), 10, "the delivery")
            assert count_events(journal, "code_accepted_offline") == 1
            assert pending(journal) == 1

            # The same code cannot be used twice while offline.
            bank.ask(op="scan", data=code)
            time.sleep(1.5)
            assert bank.open_doors() == set()
            assert count_events(journal, "door_unlock") == 1

            # Restarted while still offline: it starts, and still owes the event.
            terminal.kill()
            terminal.ensure_running()
            assert pending(journal) == 1

            with running_emulator(db_path=db, port=port) as konnect:
                token = konnect.partner_token()
                with httpx.Client(base_url=konnect.url, timeout=10) as http:
                    wait_for(
                        lambda: deliveries_at_emulator(http, token, "OFFLINE0001") >= 1,
                        30,
                        "the report",
                    )
                    wait_for(lambda: pending(journal) == 0, 10, "the outbox")
                    time.sleep(1.0)
                    assert deliveries_at_emulator(http, token, "OFFLINE0001") == 1
        finally:
            terminal.stop()
