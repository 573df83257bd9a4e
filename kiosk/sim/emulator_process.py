"""Starts the local Konnect emulator for simulator mode, unless one already runs.

The emulator runs as a process of its own, as Konnect would be: it keeps its
state across terminal restarts, and a terminal killed mid-delivery finds it
still there when it comes back.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kiosk.config import emulator_port

log = logging.getLogger("kiosk.sim")

START_TIMEOUT = 20.0

# Time, level and logger in front of each line of the emulator's log.
_LOG_PREFIX = re.compile(r"^\S+ \S+ [A-Z]+ [\w.]+: ")


class EmulatorStartError(Exception):
    """The emulator did not come up; the message says where its log is."""


def emulator_answers(base_url: str) -> bool:
    """Whether something that serves the emulator's OpenAPI answers at `base_url`."""
    try:
        return httpx.get(f"{base_url}/openapi.json", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_emulator(base_url: str, state_dir: Path) -> subprocess.Popen[bytes] | None:
    """Start the emulator at `base_url` unless one answers; None if one already did."""
    if emulator_answers(base_url):
        log.info("using the emulator already running at %s", base_url)
        return None
    port = emulator_port(base_url)
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "emulator.log"
    with log_path.open("ab") as output:
        logged_before = output.tell()
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
            said = _last_line(log_path, logged_before)
            raise EmulatorStartError(
                f"the Konnect emulator exited at start ({said}); see {log_path}"
            )
        if emulator_answers(base_url):
            log.info("started the Konnect emulator at %s", base_url)
            return process
        time.sleep(0.1)
    stop_emulator(process)
    raise EmulatorStartError(f"the Konnect emulator did not answer; see {log_path}")


def _last_line(path: Path, offset: int) -> str:
    """The last thing the emulator wrote to its log since `offset`."""
    with path.open("rb") as log_file:
        log_file.seek(offset)
        lines = log_file.read().decode("utf-8", errors="replace").splitlines()
    said = [_LOG_PREFIX.sub("", line).strip() for line in lines if line.strip()]
    return said[-1] if said else "it said nothing"


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
