"""Run the Konnect emulator as a real subprocess for a test.

Usage, from sync or async tests alike::

    with running_emulator() as emulator:
        httpx.get(f"{emulator.url}/openapi.json")

The server listens on a free loopback port with its state in a temporary
directory (or `db_path`), and is stopped with SIGTERM when the block ends.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr

from kiosk.konnect import TerminalClient
from kiosk.konnect.partner import PartnerClient

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN_PATH = "/Auth/core/connect/token"
PARTNER_SCOPE = "StockonnectPartnerAPI"
TERMINAL_SCOPE = "KonnectTerminalAPI"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
START_ATTEMPTS = 3


@dataclass(frozen=True)
class RunningEmulator:
    """A started emulator and the demo seed's credentials."""

    url: str
    db_path: Path
    port: int
    location: str = "BH1"
    partner_client_id: str = "demo-partner"
    partner_client_secret: str = "demo-partner-secret"
    terminal_client_id: str = "bh1-terminal"
    terminal_client_secret: str = "bh1-terminal-secret"

    def token(self, client_id: str, secret: str, scope: str) -> str:
        """A fresh access token for any client."""
        response = httpx.post(
            f"{self.url}{TOKEN_PATH}",
            data={
                "grant_type": "client_credentials",
                "scope": scope,
                "client_id": client_id,
                "client_secret": secret,
            },
            timeout=10,
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token

    def bearer(self, client_id: str, secret: str, scope: str) -> httpx.Client:
        """An HTTP client that sends a fresh token of `client_id` on every call."""
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.token(client_id, secret, scope)}"},
            timeout=10,
        )

    def partner_client(self) -> PartnerClient:
        """The project's Partner API client, as the demo partner."""
        return PartnerClient(
            self.url, self.partner_client_id, SecretStr(self.partner_client_secret)
        )

    def terminal_client(self) -> TerminalClient:
        """The terminal's Konnect client, as the demo location's terminal."""
        return TerminalClient(
            self.url,
            self.location,
            self.terminal_client_id,
            SecretStr(self.terminal_client_secret),
        )

    def partner_token(self) -> str:
        """A fresh token of the demo partner client."""
        return self.token(
            self.partner_client_id, self.partner_client_secret, PARTNER_SCOPE
        )

    def terminal_token(self) -> str:
        """A fresh token of the demo terminal client (bound to BH1)."""
        return self.token(
            self.terminal_client_id, self.terminal_client_secret, TERMINAL_SCOPE
        )


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_emulator(
    db_path: Path | None = None,
    extra_args: Sequence[str] = (),
    port: int | None = None,
) -> Iterator[RunningEmulator]:
    """Start `python -m kiosk emulator`, wait until it answers, stop it after.

    Args:
        db_path: State file; a fresh temporary one if None. Pass the same path
            to two runs to test that state survives a restart.
        extra_args: More command-line options, e.g. `["--token-lifetime", "2"]`.
        port: Port to listen on; a free one if None.
    """
    with tempfile.TemporaryDirectory(prefix="emulator-") as tmp:
        db = db_path if db_path is not None else Path(tmp) / "emulator.sqlite3"
        log_path = Path(tmp) / "emulator.log"
        # A free port can be taken between choosing it and binding it; a
        # chosen-for-us port is simply chosen again.
        attempts = 1 if port is not None else START_ATTEMPTS
        for attempt in range(attempts):
            chosen = port if port is not None else free_port()
            process = _spawn(chosen, db, extra_args, log_path)
            url = f"http://127.0.0.1:{chosen}"
            try:
                _wait_until_up(process, url, log_path)
                break
            except RuntimeError:
                _stop(process)
                if attempt + 1 == attempts:
                    raise
        try:
            yield RunningEmulator(url=url, db_path=db, port=chosen)
        finally:
            _stop(process)


@contextmanager
def emulator_seeded_with(seed: object, directory: Path) -> Iterator[RunningEmulator]:
    """An emulator whose database starts from `seed` (written into `directory`)."""
    path = directory / "seed.json"
    path.write_text(json.dumps(seed))
    with running_emulator(extra_args=["--seed", str(path)]) as running:
        yield running


def _spawn(
    port: int, db: Path, extra_args: Sequence[str], log_path: Path
) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                *(sys.executable, "-m", "kiosk", "emulator"),
                *("--host", "127.0.0.1", "--port", str(port), "--db", str(db)),
                *("--log-level", "WARNING", *extra_args),
            ],
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"emulator exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    _stop(process)
    raise RuntimeError(f"emulator did not answer at {url}:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
