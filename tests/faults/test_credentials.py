"""Konnect refusing the terminal's credentials costs no event.

A rotated secret makes the token endpoint answer 401 for a while. That says
nothing against the events waiting to be sent: they stay owed, the outbox backs
off, and the terminal's health says its credentials are refused. Once the right
secret is in place, every event goes through, once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest

from kiosk.assemble import build_terminal
from kiosk.konnect import wire
from kiosk.runtime import Terminal
from tests.support.emulator import running_emulator
from tests.support.terminal import create_goods_in, package, sim_settings

TRACKING = "ROTATED0001"


async def run_outbox_for(terminal: Terminal, seconds: float) -> None:
    running = asyncio.create_task(terminal.outbox.run())
    await asyncio.sleep(seconds)
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_refused_credentials_keep_the_events_owed_until_mended(
    tmp_path: Path,
):
    with running_emulator() as emulator:
        code = await create_goods_in(emulator.url, TRACKING)
        checker = emulator.terminal_client()
        answer = await checker.verify_code(code)
        await checker.aclose()
        assert isinstance(answer, wire.GoodsInCode)

        wrong = build_terminal(
            sim_settings(tmp_path, emulator.url, konnect={"client_secret": "old"})
        )
        wrong.journal.record(
            "delivery",
            door="A1",
            payload={"goodsInId": answer.goods_in_id, "trackingNumber": TRACKING},
            report=True,
        )
        try:
            await run_outbox_for(wrong, 1.5)
            health = wrong.health()
            [(_, attempts, error)] = wrong.journal.outbox_items("pending")
            assert wrong.journal.outbox_counts() == {
                "pending": 1,
                "sent": 0,
                "dead": 0,
            }
            assert health.credentials_refused is True
            assert health.online is False
            assert error is not None and "refused the credentials" in error
            # It kept trying, and it backed off: a handful of tries, not hundreds.
            assert 2 <= attempts <= 4
            assert wrong.client.session.token_requests == attempts
        finally:
            await wrong.client.aclose()
            wrong.journal.close()

        # The technician puts the new secret in place; the terminal restarts.
        mended = build_terminal(sim_settings(tmp_path, emulator.url))
        try:
            running = asyncio.create_task(mended.outbox.run())
            deadline = time.monotonic() + 10
            while mended.journal.outbox_counts()["sent"] < 1:
                assert time.monotonic() < deadline, "the delivery was not sent"
                await asyncio.sleep(0.05)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
            assert mended.health().credentials_refused is False
        finally:
            await mended.client.aclose()
            mended.journal.close()

        seen = await package(emulator.url, TRACKING)
    assert [h["event"] for h in seen["history"]].count("delivered") == 1
