"""The terminal's own figures: start-up to the home screen, and code to unlock.

Start-up is measured on a fresh process, imports included, from the moment it
is launched until the home screen is on (a headless) screen. Code to unlock is
measured in one process driven by Textual's pilot: from the Enter that submits
a valid code to the moment the unlock frame's last byte reaches the simulated
board on its pseudo-terminal, through the real emulator over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTS = 5
DELIVERIES = 12

_PROBE = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.support.terminal import sim_settings
from kiosk.assemble import build_terminal
from kiosk.sim.world import WorldThread
from kiosk.ui.app import KioskApp

settings = sim_settings(Path({tmp!r}), {url!r})
world = WorldThread(settings)
world.start()
app = KioskApp(build_terminal(settings), title="probe")

def check():
    if app.query("#home"):
        sys.stdout.write(f"{{time.time() - float(os.environ['T0']):.4f}}\\n")
        app.exit()

app.call_later(lambda: app.set_interval(0.002, check))
app.run(headless=True, size=(100, 32))
world.stop()
"""


def _start_up(url: str) -> list[float]:
    times = []
    for _ in range(STARTS):
        with tempfile.TemporaryDirectory() as tmp:
            script = _PROBE.format(root=str(REPO_ROOT), tmp=tmp, url=url)
            env = {**os.environ, "T0": repr(time.time())}
            result = subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                env=env,
                cwd=REPO_ROOT,
                check=True,
            )
            times.append(float(result.stdout.strip().splitlines()[-1]))
    return times


async def _code_to_unlock(url: str) -> list[float]:
    from kiosk.assemble import build_terminal
    from kiosk.sim.world import World
    from kiosk.ui.app import KioskApp
    from kiosk.workflows import views
    from tests.support.terminal import create_goods_in, eventually, sim_settings

    latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = sim_settings(Path(tmp), url)
        world = World(settings)
        await world.start()
        terminal = build_terminal(settings)
        app = KioskApp(terminal, title="bench")
        line = world.lines["bus0"]
        async with app.run_test(size=(100, 32)) as pilot:
            await eventually(lambda: bool(terminal.journal.doors()), what="doors")
            for number in range(DELIVERIES):
                code = await create_goods_in(url, f"BENCH{number:06d}")
                await pilot.press("enter", *code)
                unlocks_before = sum(1 for f in line.frames if f.data[2] == 0x31)
                pressed = time.monotonic()
                await pilot.press("enter")
                await eventually(
                    lambda before=unlocks_before: (
                        sum(1 for f in line.frames if f.data[2] == 0x31) > before
                    ),
                    what="unlock frame",
                )
                frame = [f for f in line.frames if f.data[2] == 0x31][-1]
                latencies.append(frame.at - pressed)
                await eventually(lambda: isinstance(terminal.view, views.DoorOpenView))
                door = terminal.delivery.door
                assert door is not None
                world.put_item(door)
                world.close_door(door)
                await eventually(lambda: isinstance(terminal.view, views.DoneView))
                await pilot.press("enter")
        await world.stop()
        terminal.journal.close()
    return latencies


def _describe(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"{name}: n={len(ms)} median {statistics.median(ms):.0f} ms,"
        f" min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms"
    )


def main() -> int:
    """Print the start-up and code-to-unlock figures."""
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.emulator import running_emulator

    with running_emulator() as emulator:
        start = _start_up(emulator.url)
        unlock = asyncio.run(_code_to_unlock(emulator.url))
    sys.stdout.write(_describe("start-up to home screen", start) + "\n")
    sys.stdout.write(_describe("Enter to unlock frame on the line", unlock) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
