"""Starts the local Konnect emulator for simulator mode, unless one already runs.

The emulator runs as a process of its own, as Konnect would be: it keeps its
state across terminal restarts, and a terminal killed mid-delivery finds it
still there when it comes back.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import httpx

log = logging.getLogger("kiosk.sim")

START_TIMEOUT = 20.0


class EmulatorStartError(Exception):
    """The emulator did not come up; the message says where its log is."""


def emulator_answers(base_url: str) -> bool:
    """Whether something that serves the emulator's OpenAPI answers at `base_url`."""
    try:
        return httpx.get(f"{base_url}/openapi.json", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_emulator(
    base_url: str, port: int, state_dir: Path
) -> subprocess.Popen[bytes] | None:
    """Start the emulator on `port` unless one answers; None if one already did."""
    if emulator_answers(base_url):
        log.info("using the emulator already running at %s", base_url)
        return None
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "emulator.log"
    with log_path.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "emulator",
                "--port",
                str(port),
                "--db",
                str(state_dir / "emulator.sqlite3"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorStartError(
                f"the Konnect emulator exited at start; see {log_path}"
            )
        if emulator_answers(base_url):
            log.info("started the Konnect emulator at %s", base_url)
            return process
        time.sleep(0.1)
    stop_emulator(process)
    raise EmulatorStartError(f"the Konnect emulator did not answer; see {log_path}")


def stop_emulator(process: subprocess.Popen[bytes] | None) -> None:
    """Stop an emulator this terminal started."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
