"""`kiosk barcode RAW`, through the real command line."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["barcode", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_output_names_carrier_symbology_fields_and_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "]C142012345\\x1d9400111206206406260787\\r")

    assert code == 0
    assert "GS1-128 (]C1)" in out
    assert "GS1 (420) SHIP TO POST: 12345" in out
    assert "carrier:         usps" in out
    assert "tracking number: 9400111206206406260787" in out


def test_json_output_for_a_recognised_scan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--json", "1001921334250001000300779017972697\\r")

    document = json.loads(out)
    assert code == 0
    assert document["tracking_number"] == "779017972697"
    assert document["reason"] is None
    assert document["carrier"] == "fedex"
    assert document["raw"] == "1001921334250001000300779017972697\\r"


def test_json_output_for_a_refused_scan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--json", "1Z5R89390357567128")

    document = json.loads(out)
    assert code == 0
    assert document["tracking_number"] is None
    assert "check digit" in document["reason"]
    assert document["near_miss"] is True


def test_text_output_for_a_refused_scan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "\\x00\\x01\\r")

    assert code == 0
    assert "refused:" in out
    assert "status:          unreadable" in out


def test_suffix_and_carriers_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--json", "--suffix", "#!", "--carriers", "dhl", "986578788855#!"
    )

    document = json.loads(out)
    assert code == 0
    assert document["text"] == "986578788855"
    assert "not accepted" in document["reason"]


@pytest.mark.parametrize(
    "argv",
    [
        ["bad\\qescape"],
        ["--suffix", "\\x1", "data"],
        ["--carriers", "ups,nosuch", "1Z5R89390357567127"],
    ],
)
def test_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert "kiosk barcode: error:" in err


def test_missing_raw_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["barcode"])

    assert exit_info.value.code == 2
