"""One emulator server per test session, with clients for both APIs.

Tests share the server, so each one makes its own packages with unique
tracking numbers instead of relying on a clean state.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.emulator import RunningEmulator, running_emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        yield running


def _client(emulator: RunningEmulator, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=emulator.url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


@pytest.fixture(scope="session")
def partner(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with _client(emulator, emulator.partner_token()) as client:
        yield client


@pytest.fixture(scope="session")
def terminal(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with _client(emulator, emulator.terminal_token()) as client:
        yield client


@pytest.fixture
def anonymous(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        yield client
