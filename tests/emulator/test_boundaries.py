"""The emulator and the terminal stay apart, checked in fresh interpreters."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.emulator import REPO_ROOT

LOADED = "import json, sys; sys.stdout.write(json.dumps(sorted(sys.modules)))"


def _modules_after(statement: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{statement}\n{LOADED}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    modules: list[str] = json.loads(result.stdout)
    return modules


def test_the_emulator_loads_nothing_of_the_terminal() -> None:
    modules = _modules_after("import kiosk.emulator")

    foreign = [
        m
        for m in modules
        if (m.startswith("kiosk.") and not m.startswith("kiosk.emulator"))
        or m.split(".")[0] == "drivers"
    ]
    assert foreign == []


def test_the_command_line_does_not_load_the_emulator() -> None:
    modules = _modules_after("import kiosk.cli; kiosk.cli.build_parser()")

    assert not [m for m in modules if m.startswith("kiosk.emulator")]
