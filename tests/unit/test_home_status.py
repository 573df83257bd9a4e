"""What the home screen says about the link and the doors, before anyone types."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

import kiosk.ui
from kiosk.ui.views.home import HomeScreen


class Home(App[None]):
    CSS_PATH = str(Path(kiosk.ui.__file__).parent / "kiosk.tcss")

    def compose(self) -> ComposeResult:
        yield HomeScreen("BH1 terminal", "BH1")


async def _said(status: dict[str, object]) -> str:
    app = Home()
    async with app.run_test(size=(80, 25)) as pilot:
        app.query_one(HomeScreen).show_status(status)
        await pilot.pause()
        return str(app.query_one("#link-status", Static).render())


async def test_doors_whose_board_is_silent_are_counted():
    said = await _said({"online": True, "waiting": 0, "outOfService": ["A1", "A2"]})
    assert said == "2 doors out of service."


async def test_offline_and_out_of_service_are_both_said():
    said = await _said({"online": False, "waiting": 3, "outOfService": ["C4"]})
    assert said == (
        "Offline: deliveries go on and are sent when the link returns. 3 waiting."
        " 1 door out of service."
    )


async def test_all_well_says_nothing():
    assert await _said({"online": True, "waiting": 0, "outOfService": []}) == ""
