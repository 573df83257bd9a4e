"""State across restarts, `--reset`, code expiry and the command line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.emulator.helpers import assert_error, unique
from tests.support.emulator import (
    REPO_ROOT,
    RunningEmulator,
    free_port,
    running_emulator,
)


def _auth(emulator: RunningEmulator, token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _create_goods_in(emulator: RunningEmulator) -> dict[str, str]:
    response = httpx.post(
        f"{emulator.url}/Api/goodsin",
        headers=_auth(emulator, emulator.partner_token()),
        json={"locationIdentifier": "BH1", "trackingNumber": unique()},
    )
    assert response.status_code == 200
    body: dict[str, str] = response.json()
    return body


def _verify(emulator: RunningEmulator, code: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{emulator.url}/Api/terminal/locations/BH1/codes/verify",
        headers=_auth(emulator, token),
        json={"code": code},
    )


def test_restart_keeps_state_and_tokens(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with running_emulator(db_path=db) as first:
        created = _create_goods_in(first)
        token = first.terminal_token()

    with running_emulator(db_path=db) as second:
        response = _verify(second, created["accessCode"], token)

    assert response.status_code == 200
    assert response.json()["trackingNumber"] == created["trackingNumber"]


def test_reset_wipes_state_and_reseeds(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with running_emulator(db_path=db) as first:
        created = _create_goods_in(first)

    with running_emulator(db_path=db, extra_args=["--reset"]) as second:
        response = _verify(second, created["accessCode"], second.terminal_token())
        locations = httpx.get(
            f"{second.url}/Api/locations",
            headers=_auth(second, second.partner_token()),
        )

    assert_error(response, 404, "unknown_code", "code")
    assert [loc["identifier"] for loc in locations.json()] == ["BH1"]


def test_expired_code_is_410(tmp_path: Path) -> None:
    with running_emulator(extra_args=["--code-lifetime", "1"]) as emulator:
        created = _create_goods_in(emulator)
        token = emulator.terminal_token()
        time.sleep(1.2)
        response = _verify(emulator, created["accessCode"], token)

    assert_error(response, 410, "code_expired", "code")


def test_help_documents_every_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "emulator", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    for option in (
        "--host",
        "--port",
        "--db",
        "--seed",
        "--reset",
        "--token-lifetime",
        "--code-lifetime",
        "8470",
    ):
        assert option in result.stdout


def test_a_bad_seed_is_refused_and_leaves_the_state(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with running_emulator(db_path=db) as first:
        created = _create_goods_in(first)
    bad = tmp_path / "seed.json"
    bad.write_text('{"clients": [], "locations": [], "users": [{"identifier": 1}]}')

    result = subprocess.run(
        [
            *(sys.executable, "-m", "kiosk", "emulator", "--db", str(db)),
            *("--seed", str(bad), "--reset", "--port", "1"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "cannot serve" in result.stderr
    with running_emulator(db_path=db) as second:
        response = _verify(second, created["accessCode"], second.terminal_token())
    assert response.status_code == 200


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "kiosk", "emulator", "--port", str(port)),
            *("--db", str(tmp_path / "state.sqlite3")),
        ],
        cwd=REPO_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        # The process id beside the state names this emulator and no other.
        pid_file = tmp_path / "state.pid"
        assert pid_file.read_text() == f"{process.pid}\n"
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0
    assert not pid_file.exists()
    assert "emulator stopped" in stderr
    assert f"http://127.0.0.1:{port}" in stderr
    assert "demo-partner-secret" in stderr
