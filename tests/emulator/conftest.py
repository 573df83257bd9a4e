"""One emulator server per test session, with clients for both APIs.

Tests share the server, so each one makes its own packages with unique
tracking numbers instead of relying on a clean state.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.emulator import (
    PARTNER_SCOPE,
    TERMINAL_SCOPE,
    RunningEmulator,
    running_emulator,
)


@pytest.fixture(scope="session")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


@pytest.fixture(scope="session")
def partner(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with emulator.bearer(
        emulator.partner_client_id, emulator.partner_client_secret, PARTNER_SCOPE
    ) as client:
        yield client


@pytest.fixture(scope="session")
def terminal(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with emulator.bearer(
        emulator.terminal_client_id, emulator.terminal_client_secret, TERMINAL_SCOPE
    ) as client:
        yield client


@pytest.fixture
def anonymous(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        yield client
