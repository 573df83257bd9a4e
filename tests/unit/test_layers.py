"""The layers stay apart, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    program = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("kiosk.workflows.delivery", {"textual", "httpx", "drivers", "sqlite3"}),
        ("drivers.bank", {"textual", "httpx", "kiosk"}),
        ("kiosk.konnect", {"textual", "drivers"}),
    ],
)
def test_a_layer_loads_without_its_neighbours(module: str, forbidden: set[str]):
    assert not loaded_after(f"import {module}") & forbidden


def test_production_never_loads_the_emulator_or_the_simulator():
    loaded = loaded_after(
        "import kiosk.cli, kiosk.launch, kiosk.assemble, kiosk.ui.app\n"
        "kiosk.cli.build_parser()"
    )
    assert not {m for m in loaded if m.startswith(("kiosk.emulator", "fastapi"))}
    assert "kiosk.sim.world" not in loaded
