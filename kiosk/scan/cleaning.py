"""Removing what the scanner adds around the data it decoded.

Scanners frame their output: a suffix (CR, CRLF or TAB, or whatever the site
configured), sometimes STX and ETX, an AIM symbology identifier in front, and
on some HID scanners a private-use character in place of GS. GS itself stays:
inside the data it is the FNC1 separator of a GS1 element string.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiosk.scan.symbology import Symbology, split_aim

GS = "\x1d"

# Some HID scanners send GS and RS as private-use characters U+F70B and U+F70C
# (UTF-8 EF 9C 8B and EF 9C 8C); protocols.md section 3.3.
_PRIVATE_GS = b"\xef\x9c\x8b"
_PRIVATE_RS = b"\xef\x9c\x8c"

# Framing and junk that may surround the data: every C0 control but GS, space,
# DEL and the replacement character that undecodable bytes turn into.
_EDGE_JUNK = "".join(chr(c) for c in range(0x20) if chr(c) != GS) + " \x7f\ufffd"


@dataclass(frozen=True)
class Cleaned:
    """The data of a scan with the scanner's additions removed."""

    text: str
    """The data; GS kept as the FNC1 separator."""

    symbology: Symbology | None
    """From the AIM identifier, when the scanner sent one."""

    fnc1_first: bool
    """A GS came first: the scanner sent the leading FNC1, a GS1 code."""

    problem: str | None
    """Why the scan is unreadable, or None."""


def clean(raw: bytes, suffix: bytes | None = None) -> Cleaned:
    """Strip the scanner's suffix, framing, AIM identifier and control characters.

    Args:
        raw: The bytes the scanner sent for one scan.
        suffix: The suffix the scanner is configured to add; CR, LF and TAB
            are stripped from the end whatever it is.

    Returns:
        The cleaned data, or a `problem` saying why there is none.
    """
    data = raw.replace(_PRIVATE_GS, GS.encode()).replace(_PRIVATE_RS, b"\x1e")
    if suffix and data.endswith(suffix):
        data = data[: -len(suffix)]

    text = data.decode("utf-8", errors="replace").strip(_EDGE_JUNK)
    symbology, text = split_aim(text)
    text = text.strip(_EDGE_JUNK)

    fnc1_first = text.startswith(GS)
    text = text.strip(GS + _EDGE_JUNK)

    # Controls inside the data (a CR in a 2D code, a stray NUL) carry nothing a
    # package reference needs; GS is the one control with a meaning.
    text = "".join(c for c in text if c == GS or unicodedata.category(c) != "Cc")

    return Cleaned(
        text=text,
        symbology=symbology,
        fnc1_first=fnc1_first,
        problem=_problem(raw, data, text),
    )


def _problem(raw: bytes, data: bytes, text: str) -> str | None:
    """Why the cleaned text is unusable, or None when it is fine."""
    if not raw:
        return "empty scan"
    if not text and not _is_utf8(data):
        return "not text: bytes that are not UTF-8"
    if not text:
        return "no data: only framing or control characters"
    if "\ufffd" in text:
        return "not text: bytes that are not UTF-8"
    for char in text:
        if char != GS and unicodedata.category(char) in {"Cf", "Co", "Cs", "Cn"}:
            return f"not text: unexpected character U+{ord(char):04X}"
    return None


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes decode as UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
