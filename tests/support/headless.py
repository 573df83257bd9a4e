"""A headless terminal in a process of its own, with the simulated world beside it.

For tests that kill, restart or cut off the terminal as a locker bank would:
the terminal runs `kiosk run --headless`, the world `kiosk sim world`, and the
test acts as the people at the bank through the world's control socket.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kiosk.sim.control import SimulatorUnavailable, request_sync
from tests.support.emulator import REPO_ROOT


class Bank:
    """The simulated world's control socket, as the test's hands."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def ask(self, **message: object) -> dict[str, object]:
        answer: dict[str, object] = request_sync(self.socket, message)
        assert answer["ok"], answer
        return answer

    def open_doors(self) -> set[str]:
        doors = self.ask(op="status")["doors"]
        assert isinstance(doors, dict)
        return {door for door, state in doors.items() if state["open"]}


@contextmanager
def process(args: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            cwd=REPO_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Terminal:
    """The terminal process, started and killed at will."""

    def __init__(self, config: Path, log: Path, bank: Bank) -> None:
        self.config, self.log, self.bank = config, log, bank
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def ensure_running(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        journal = self.config.parent / "var" / "journal.sqlite3"
        started = count_events(journal, "terminal_started")
        command = ["run", "--headless", "--config", str(self.config)]
        with self.log.open("ab") as output:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kiosk", *command],
                cwd=REPO_ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        wait_for(
            lambda: count_events(journal, "terminal_started") > started, 20, "start"
        )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def goods_in(http: httpx.Client, token: str, tracking: str) -> str:
    response = http.post(
        "/Api/goodsin",
        json={"locationIdentifier": "BH1", "trackingNumber": tracking},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    code: str = response.json()["accessCode"]
    return code


def deliveries_at_emulator(http: httpx.Client, token: str, tracking: str) -> int:
    response = http.get(
        f"/Api/packages/{tracking}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return [h["event"] for h in response.json()["history"]].count("delivered")


def count_events(journal: Path, kind: str) -> int:
    if not journal.exists():
        return 0
    try:
        with sqlite3.connect(journal) as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM events WHERE kind = ?", (kind,)
            ).fetchone()
    except sqlite3.OperationalError:
        return 0  # the terminal is creating it right now
    return int(count)


def journaled(journal: Path, tracking: str) -> bool:
    if not journal.exists():
        return False
    with sqlite3.connect(journal) as db:
        rows = db.execute(
            "SELECT payload FROM events WHERE kind = 'delivery'"
        ).fetchall()
    return any(tracking in row[0] for row in rows)


def answers(bank: Bank) -> bool:
    """Whether the simulated world answers on its control socket."""
    try:
        bank.ask(op="status")
    except SimulatorUnavailable:
        return False
    return True
