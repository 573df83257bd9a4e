"""`kiosk labels` against a stand-in Partner API served on 127.0.0.1."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from tests.barcodes.decoding import decode, rasterise_svg
from tests.barcodes.partner_stub import Partner, serve
from tests.support.emulator import running_emulator


def _partner() -> Partner:
    return Partner(
        goods_in=[
            {
                "goodsInId": "g1",
                "accessCode": "072162",
                "trackingNumber": "1Z5R89390357567127",
                "locationIdentifier": "BH1",
            },
            {
                "goodsInId": "g2",
                "accessCode": "313660",
                "trackingNumber": "TBA502887274000",
                "locationIdentifier": "BH1",
            },
        ],
        doors={
            "location": "BH1",
            "doors": [{"identifier": "A1"}, {"identifier": "A2"}, {"identifier": "B1"}],
        },
        skus=[
            {"identifier": "SKU-ROUTER", "name": "Router", "barcode": None},
            {"identifier": "SKU-CAT6", "name": "Cable", "barcode": "5012345678900"},
        ],
    )


def _decoded(paths: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        if path.suffix == ".png":
            texts = decode(Image.open(path))
        elif path.suffix == ".svg":
            texts = decode(rasterise_svg(path.read_text(encoding="utf-8")))
        else:
            continue
        found[path.name] = texts
    return found


def test_sheets_for_packages_doors_and_skus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _partner()
    with serve(partner) as url:
        code = main(["labels", "--url", url, "--out", str(tmp_path)])
    out = capsys.readouterr().out

    written = [Path(line) for line in out.splitlines()]
    assert code == 0
    assert sorted(p.name for p in written) == [
        "doors-1.png",
        "doors-1.svg",
        "labels.pdf",
        "packages-1.png",
        "packages-1.svg",
        "skus-1.png",
        "skus-1.svg",
    ]
    packages = ["072162", "1Z5R89390357567127", "313660", "TBA502887274000"]
    assert _decoded(written) == {
        "packages-1.png": packages,
        "packages-1.svg": packages,
        "doors-1.png": ["A1", "A2", "B1"],
        "doors-1.svg": ["A1", "A2", "B1"],
        "skus-1.png": ["5012345678900", "SKU-CAT6", "SKU-ROUTER"],
        "skus-1.svg": ["5012345678900", "SKU-CAT6", "SKU-ROUTER"],
    }
    assert partner.requests[0] == "POST /Auth/core/connect/token"


def test_formats_and_credentials_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _partner()
    partner.client_id, partner.client_secret = "other", "s3cret"
    with serve(partner) as url:
        code = main(
            [
                "labels",
                "--url",
                url,
                "--out",
                str(tmp_path),
                "--format",
                "png",
                "--client-id",
                "other",
                "--client-secret",
                "s3cret",
            ]
        )

    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "doors-1.png",
        "packages-1.png",
        "skus-1.png",
    ]


def test_a_missing_endpoint_is_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _partner()
    partner.skus = None
    with serve(partner) as url:
        code = main(["labels", "--url", url, "--out", str(tmp_path), "--format", "svg"])
    err = capsys.readouterr().err

    assert code == 0
    assert "skipped /Api/skus: HTTP 404" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "doors-1.svg",
        "packages-1.svg",
    ]


def test_a_refused_token_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_partner()) as url:
        code = main(
            ["labels", "--url", url, "--out", str(tmp_path), "--client-secret", "no"]
        )
    captured = capsys.readouterr()

    assert code == 1
    assert "refused a token for client 'demo-partner': HTTP 400" in captured.err
    assert "Traceback" not in captured.err
    assert not tmp_path.joinpath("labels.pdf").exists()


def test_an_unreachable_emulator_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    code = main(["labels", "--url", f"http://127.0.0.1:{port}", "--out", str(tmp_path)])
    err = capsys.readouterr().err

    assert code == 1
    assert f"cannot reach the Konnect emulator at http://127.0.0.1:{port}" in err
    assert "kiosk emulator" in err


def test_nothing_to_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve(Partner()) as url:
        code = main(["labels", "--url", url, "--out", str(tmp_path)])

    assert code == 1
    assert "nothing to print" in capsys.readouterr().err


def test_a_location_the_emulator_lacks_is_an_error_not_a_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_partner()) as url:
        code = main(
            ["labels", "--url", url, "--out", str(tmp_path), "--location", "XX9"]
        )

    assert code == 1
    assert "has no location 'XX9'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labels", "--format", "svg,jpg"]) == 2
    assert "--format takes svg, png and pdf" in capsys.readouterr().err


def test_values_code_128_cannot_carry_are_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = _partner()
    partner.doors = {"doors": [{"identifier": "Tür-1"}, {"identifier": "A1"}]}
    with serve(partner) as url:
        code = main(["labels", "--url", url, "--out", str(tmp_path), "--format", "png"])

    assert code == 0
    assert "left out Door Tür-1" in capsys.readouterr().err
    assert decode(Image.open(tmp_path / "doors-1.png")) == ["A1"]


def test_the_emulator_with_no_packages_still_gives_door_and_sku_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fresh emulator: the demo bank's doors and SKUs, nothing pre-advised.
    with running_emulator() as emulator:
        code = main(
            ["labels", "--url", emulator.url, "--out", str(tmp_path), "--format", "svg"]
        )
    captured = capsys.readouterr()

    assert code == 0
    assert "no pre-advised packages at BH1" in captured.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "doors-1.svg" in names and "skus-1.svg" in names
    assert not [name for name in names if name.startswith("packages")]
    assert decode(rasterise_svg((tmp_path / "doors-1.svg").read_text("utf-8")))
