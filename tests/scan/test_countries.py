"""The ISO 3166 country codes S10 numbers are checked against."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.scan.countries import ISO_3166_ALPHA_2

TZ_TABLE = Path("/usr/share/zoneinfo/iso3166.tab")


@pytest.mark.skipif(not TZ_TABLE.exists(), reason="no tz database installed")
def test_the_codes_are_the_tz_databases() -> None:
    lines = TZ_TABLE.read_text(encoding="utf-8").splitlines()
    codes = {line.split("\t")[0] for line in lines if line and line[0] != "#"}

    assert codes == ISO_3166_ALPHA_2


def test_the_codes_are_249_pairs_of_capitals() -> None:
    assert len(ISO_3166_ALPHA_2) == 249
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in ISO_3166_ALPHA_2)
    assert {"GB", "US", "DE", "CV"} <= ISO_3166_ALPHA_2
    assert not {"XX", "UK", "EU"} & ISO_3166_ALPHA_2
