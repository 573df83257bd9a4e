"""The code screen fits the 80x25 Linux console, whatever it has to say."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Container
from textual.widgets import Button, Static

import kiosk.ui
from kiosk.ui.views.code_entry import CodeEntryScreen
from kiosk.workflows import messages as m
from kiosk.workflows import views
from kiosk.workflows.delivery import Delivery, Limits


class Entry(App[None]):
    CSS_PATH = str(Path(kiosk.ui.__file__).parent / "kiosk.tcss")

    def compose(self) -> ComposeResult:
        yield Container(id="body")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _messages() -> list[str]:
    """What the workflow can say on the code screen, its longest lockouts too."""
    said: list[str] = []
    for reason in ("unknown_code", "code_expired", "code_used", "no_such_reason"):
        clock = Clock()
        flow = Delivery(lambda *_: "A1", clock, Limits(max_failed_codes=1))
        for attempt in range(8):
            flow.handle(m.StartDelivery())
            for key in "123456":
                flow.handle(m.Key(key))
            flow.handle(m.Key("enter"))
            for command in flow.handle(m.CodeRefused(reason)):
                if isinstance(command, m.Show):
                    said.append(command.view.message)  # type: ignore[attr-defined]
            flow.handle(m.Key("cancel"))
            clock.now += 60 * 2**attempt + 1  # wait the lockout out, and try again
    return sorted(set(said), key=len)[-3:]


@pytest.mark.parametrize("message", _messages())
async def test_every_message_is_shown_whole_with_the_keys(message: str):
    app = Entry()
    async with app.run_test(size=(80, 25)) as pilot:
        screen = CodeEntryScreen()
        await app.query_one("#body").mount(screen)
        screen.update(views.CodeEntryView("123", message, error=True))
        await pilot.pause()
        shown = screen.query_one("#message", Static)
        lines = [s.text.strip() for s in shown.render_lines(shown.region.reset_offset)]
        assert " ".join(line for line in lines if line) == message
        cancel = screen.query_one("#key-cancel", Button)
        assert cancel.region.bottom <= 25 and cancel.region.height > 0
