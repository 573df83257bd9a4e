"""Backslash escapes for writing a scanner's bytes as printable text.

A technician types what a scanner sent as text, for example
``]C142012345\\x1d9400111206206406260787\\r``; the journal shows raw bytes the
same way.
"""

from __future__ import annotations

_SIMPLE = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\", "0": b"\x00"}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class EscapeError(ValueError):
    """The text has a backslash escape that is not one of the known ones."""


def unescape(text: str) -> bytes:
    """Turn text with backslash escapes into the bytes it stands for.

    Known escapes are ``\\xHH`` (one byte, two hex digits), ``\\r``, ``\\n``,
    ``\\t``, ``\\0`` and ``\\\\``. Every other character is encoded as UTF-8.

    Args:
        text: The escaped text.

    Returns:
        The bytes.

    Raises:
        EscapeError: On an unknown escape, a short ``\\x`` or a trailing
            backslash.
    """
    out = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out += char.encode("utf-8")
            index += 1
            continue

        if index + 1 >= len(text):
            raise EscapeError("a backslash ends the text; write \\\\ for one")
        code = text[index + 1]
        if code in _SIMPLE:
            out += _SIMPLE[code]
            index += 2
        elif code == "x":
            digits = text[index + 2 : index + 4]
            if len(digits) != 2 or not set(digits) <= _HEX_DIGITS:
                raise EscapeError(f"\\x needs two hex digits at position {index}")
            out.append(int(digits, 16))
            index += 4
        else:
            raise EscapeError(f"unknown escape \\{code} at position {index}")
    return bytes(out)


def escape(raw: bytes) -> str:
    """Write bytes as printable ASCII, the inverse of `unescape`.

    Args:
        raw: Any bytes.

    Returns:
        Text in which printable ASCII stands for itself and everything else
        is a backslash escape.
    """
    parts: list[str] = []
    for byte in raw:
        char = chr(byte)
        if char == "\\":
            parts.append("\\\\")
        elif char == "\r":
            parts.append("\\r")
        elif char == "\n":
            parts.append("\\n")
        elif char == "\t":
            parts.append("\\t")
        elif 0x20 <= byte < 0x7F:
            parts.append(char)
        else:
            parts.append(f"\\x{byte:02x}")
    return "".join(parts)
