"""The per-server state handlers reach through the request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from kiosk.emulator.database import Database
from kiosk.emulator.settings import EmulatorSettings


@dataclass(frozen=True)
class AppState:
    """What every handler needs: the settings and the database."""

    settings: EmulatorSettings
    db: Database


def state_of(request: Request) -> AppState:
    """The emulator state of the app serving `request`."""
    state = request.app.state.emulator
    assert isinstance(state, AppState)
    return state
