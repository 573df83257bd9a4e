"""Bad configuration and missing devices are stated plainly, never a traceback."""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.assemble import check_devices
from kiosk.config import DEFAULT_SIMULATOR_CONFIG, ConfigError, load_settings
from kiosk.logs import RepeatFilter
from kiosk.single import AlreadyRunning, hold_lock


def settings_with(tmp_path: Path, old: str, new: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "k.toml"
    path.write_text(DEFAULT_SIMULATOR_CONFIG.read_text().replace(old, new))
    return load_settings(path)


def test_an_unknown_driver_is_named_with_a_suggestion(tmp_path: Path):
    settings = settings_with(tmp_path, '"kerong-cu16"', '"kerong-cu61"')
    with pytest.raises(ConfigError, match="did you mean 'kerong-cu16'"):
        check_devices(settings)


def test_a_driver_option_of_the_wrong_type_is_refused(tmp_path: Path):
    settings = settings_with(tmp_path, "baudrate = 19200", 'baudrate = "fast"')
    with pytest.raises(ConfigError, match="baudrate = 'fast' is not a valid int"):
        check_devices(settings)


def test_an_unknown_driver_option_is_refused(tmp_path: Path):
    settings = settings_with(tmp_path, "baudrate = 19200", "baud = 19200")
    with pytest.raises(ConfigError, match="has no option 'baud'"):
        check_devices(settings)


def test_kiosk_run_says_what_is_wrong_in_one_line(tmp_path: Path):
    path = tmp_path / "k.toml"
    path.write_text(
        DEFAULT_SIMULATOR_CONFIG.read_text().replace('"kerong-cu16"', '"nope"')
    )
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(path), "--headless"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "unknown lock-bus driver 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_terminal_on_the_same_state_is_refused(tmp_path: Path):
    lock = tmp_path / "kiosk.lock"
    hold_lock(lock)
    code = (
        "import sys; from pathlib import Path; from kiosk.single import hold_lock\n"
        f"hold_lock(Path({str(lock)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert "AlreadyRunning" in result.stderr
    with pytest.raises(AlreadyRunning):
        # The same process asking twice is refused too: flock is per open file.
        hold_lock(lock)


def test_repeated_log_lines_are_collapsed():
    now = [0.0]
    repeats = RepeatFilter(window=60, clock=lambda: now[0])

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("drivers", logging.WARNING, "", 0, message, None, None)

    assert repeats.filter(record("board 3 silent"))
    assert not any(repeats.filter(record("board 3 silent")) for _ in range(200))
    assert repeats.filter(record("board 4 silent"))
    now[0] = 61
    last = record("board 3 silent")
    assert repeats.filter(last)
    assert "200 more" in last.getMessage()


def test_an_emulator_that_cannot_start_says_why(tmp_path: Path):
    from kiosk.sim.emulator_process import EmulatorStartError, start_emulator

    with socket.socket() as taken:
        # Bound but not listening: nothing answers there, and the port is taken.
        taken.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{taken.getsockname()[1]}"
        with pytest.raises(
            EmulatorStartError,
            match=r"exited at start \(cannot serve: port \d+ on .* in use\)",
        ):
            start_emulator(url, tmp_path)


def _relay_config(tmp_path: Path, board: str) -> Path:
    text = DEFAULT_SIMULATOR_CONFIG.read_text()
    start = text.index("[[lock_buses]]")
    end = text.index("[scanner]")
    relay = (
        '[[lock_buses]]\nname = "relays"\ndriver = "lcus-relay"\n'
        'port = "var/sim/relays0"\noptions = { channels = 4 }\n\n'
        f"[[lock_buses.boards]]\n{board}\n\n"
    )
    path = tmp_path / "relay.toml"
    path.write_text(text[:start] + relay + text[end:])
    return path


@pytest.mark.parametrize(
    ("board", "said"),
    [
        (
            'address = 9\ndoors = ["A1"]',
            "door 'A1' (board 9, channel 1): LCUS relay: one module per port",
        ),
        (
            'address = 0\ndoors = ["A1", "A2", "A3", "A4", "B1"]',
            "door 'B1' (board 0, channel 5): LCUS relay relay 5 is not 1-4",
        ),
    ],
)
def test_a_door_its_bus_cannot_drive_is_refused_at_start(
    tmp_path: Path, board: str, said: str
):
    settings = load_settings(_relay_config(tmp_path, board))
    with pytest.raises(ConfigError, match=re.escape(f"lock bus 'relays', {said}")):
        check_devices(settings)


def test_a_channel_beyond_a_board_family_is_refused(tmp_path: Path):
    doors = ", ".join(f'"X{n}"' for n in range(17))
    settings = settings_with(
        tmp_path,
        '["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]',
        f"[{doors}]",
    )
    with pytest.raises(ConfigError, match=r"door 'X16' .* channel 17 is not 1-16"):
        check_devices(settings)
