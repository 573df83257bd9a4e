"""Backslash escapes for scanner bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.scan import EscapeError, escape, unescape


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("]C142012345\\x1d94001\\r", b"]C142012345\x1d94001\r"),
        ("a\\r\\n\\tb", b"a\r\n\tb"),
        ("back\\\\slash", b"back\\slash"),
        ("\\x02STX\\x03", b"\x02STX\x03"),
        ("\\xEF\\x9c\\x8B", b"\xef\x9c\x8b"),
        ("nul\\0", b"nul\x00"),
        ("£", "£".encode()),
        ("", b""),
    ],
)
def test_unescape(text: str, raw: bytes) -> None:
    assert unescape(text) == raw


@pytest.mark.parametrize("text", ["\\q", "\\x1", "\\xZZ", "end\\", "\\x"])
def test_bad_escapes_are_refused(text: str) -> None:
    with pytest.raises(EscapeError):
        unescape(text)


@given(st.binary())
def test_escape_round_trips(raw: bytes) -> None:
    text = escape(raw)

    assert text.isascii() and text.isprintable()
    assert unescape(text) == raw
