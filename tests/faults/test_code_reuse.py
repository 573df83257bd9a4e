"""A code used offline cannot be used again once Konnect answers.

Konnect hears of an offline delivery only when the outbox gets through. Until
then it still holds the goods-in code as live, so the terminal's own journal
must refuse a second use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.assemble import build_terminal
from kiosk.workflows import messages as m
from kiosk.workflows import views
from tests.support.emulator import running_emulator
from tests.support.terminal import create_goods_in, eventually, sim_settings

TRACKING = "REUSED0001"


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_a_code_used_offline_is_refused_when_konnect_answers_again(
    tmp_path: Path,
):
    with running_emulator() as emulator:
        code = await create_goods_in(emulator.url, TRACKING)
        terminal = build_terminal(sim_settings(tmp_path, emulator.url))
        try:
            assert await terminal.sync.sync_work()

            # Offline: the cache accepts the code and the courier delivers.
            verdict = terminal.codes.check(code)
            assert isinstance(verdict, m.CodeAccepted)
            terminal.journal.record(
                "delivery",
                door="A1",
                payload={
                    "goodsInId": verdict.goods_in.goods_in_id,
                    "trackingNumber": TRACKING,
                },
                report=True,
            )

            # Konnect answers again, before the outbox has reported it.
            terminal.dispatch(m.StartDelivery())
            for key in code:
                terminal.dispatch(m.Key(key))
            terminal.dispatch(m.Key("enter"))
            await eventually(
                lambda: (
                    isinstance(terminal.view, views.CodeEntryView)
                    and terminal.view.error
                ),
                what="the code check",
            )
            assert isinstance(terminal.view, views.CodeEntryView)
            assert "already been used" in terminal.view.message
            assert terminal.journal.events("door_unlock") == []
            assert terminal.journal.outbox_counts()["pending"] == 1
        finally:
            await terminal.client.aclose()
            terminal.journal.close()
