"""The systemd unit is one systemd itself accepts, every key in its place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "systemd" / "kiosk.service"
INSTALLED_AT = "/opt/kiosk/.venv/bin/kiosk"


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_systemd_accepts_the_unit_without_a_warning(tmp_path: Path):
    # Verify checks that ExecStart exists: point it at a stand-in.
    stand_in = tmp_path / "kiosk"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    unit = tmp_path / "kiosk.service"
    text = UNIT.read_text()
    assert INSTALLED_AT in text
    unit.write_text(text.replace(INSTALLED_AT, str(stand_in)))

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
