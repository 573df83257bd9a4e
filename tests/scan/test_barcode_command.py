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


@pytest.mark.parametrize(
    ("raw", "status", "reason_line"),
    [
        ("\\x00\\x01\\r", "unreadable", "unreadable:      no data"),
        ("1Z5R89390357567128", "near_miss", "near miss:       UPS label"),
        ("]E05012345678900", "refused", "refused:         a product barcode"),
    ],
)
def test_text_output_names_what_kind_of_no_it_is(
    capsys: pytest.CaptureFixture[str], raw: str, status: str, reason_line: str
) -> None:
    code, out, _ = _run(capsys, raw)

    assert code == 0
    assert f"status:          {status}" in out
    assert reason_line in out
    labels = ("unreadable:", "near miss:", "refused:")
    assert sum(line.startswith(labels) for line in out.splitlines()) == 1


def test_suffix_and_carriers_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--json", "--suffix", "#!", "--carriers", "dhl", "986578788855#!"
    )

    document = json.loads(out)
    assert code == 0
    assert document["text"] == "986578788855"
    assert "not accepted" in document["reason"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bad\\qescape"], "RAW: unknown escape \\q"),
        (["--suffix", "\\x1", "data"], "--suffix: \\x needs two hex digits"),
        (["--carriers", "ups,nosuch", "1Z5R89390357567127"], "unknown carrier nosuch"),
        (["--carriers", ",", "1Z5R89390357567127"], "--carriers: no carrier;"),
        (["--carriers", "", "1Z5R89390357567127"], "--carriers: no carrier;"),
    ],
)
def test_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert "kiosk barcode: error:" in err
    assert message in err


def test_empty_names_in_the_carrier_list_are_ignored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(capsys, "--json", "--carriers", "ups,,", "986578788855")

    assert code == 0
    assert err == ""
    assert "fedex is not accepted" in json.loads(out)["reason"]


def test_missing_raw_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["barcode"])

    assert exit_info.value.code == 2
