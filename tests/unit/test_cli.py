"""The command line says which command an error belongs to."""

from __future__ import annotations

import pytest

from kiosk.cli import main


def test_a_stray_argument_is_shown_with_its_own_command_usage(
    capsys: pytest.CaptureFixture[str],
):
    with pytest.raises(SystemExit) as stopped:
        main(["sim", "frames", "junk"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert said.startswith("usage: kiosk sim frames")
    assert "unrecognized arguments: junk" in said


def test_no_command_prints_the_list_of_commands(capsys: pytest.CaptureFixture[str]):
    assert main([]) == 2
    assert "emulator" in capsys.readouterr().out
