"""Code 128 symbols from python-barcode's own encoding, checked before use.

Every Code 128 barcode the terminal draws, on screen or on a label sheet, gets
its code values here. python-barcode 0.16.1 drops a leading ``99`` digit pair
(its issue #251): starting in code set C, it takes the data value 99 for a
redundant switch to code set C and folds it into the start code, so
``999757`` is encoded as ``9757``. The values are read back through
python-barcode's own tables; a leading pair it dropped is put back, and any
other disagreement is refused rather than printed as a wrong barcode.
"""

from __future__ import annotations

from barcode.charsets import code128 as tables
from barcode.codex import Code128
from barcode.errors import BarcodeError

_PATTERNS: tuple[str, ...] = tables.CODES
# python-barcode's STOP lacks the final two-module bar of the stop pattern.
_STOP: str = tables.STOP + "11"
_START_C = tables.START_CODES["C"]
_SWITCHES = {"TO_A": "A", "TO_B": "B", "TO_C": "C"}
# Code value to character, per code set, from python-barcode's tables. In set
# C the values below 100 are digit pairs.
_CHARACTERS = {
    "A": {value: char for char, value in tables.A.items()},
    "B": {value: char for char, value in tables.B.items()},
    "C": {value: char for char, value in tables.C.items()},
}
_START_SETS = {value: name for name, value in tables.START_CODES.items()}


class BarcodeTextError(ValueError):
    """The text cannot be encoded in Code 128 (it is not ASCII, or empty)."""


def read_values(values: list[int]) -> str | None:
    """The text that Code 128 code values stand for, start code first.

    Args:
        values: A start code and the data values, without check value or stop.

    Returns:
        The text, or None when the values are not plain text (an FNC code,
        a shift, a value that is no code).
    """
    if not values or values[0] not in _START_SETS:
        return None

    code_set = _START_SETS[values[0]]
    text = []
    for value in values[1:]:
        if code_set == "C" and 0 <= value < 100:
            text.append(f"{value:02d}")
            continue
        char = _CHARACTERS[code_set].get(value)
        if char in _SWITCHES:
            code_set = _SWITCHES[char]
        elif char is not None and len(char) == 1 and char.isascii():
            text.append(char)
        else:
            return None
    return "".join(text)


def code128_values(text: str) -> list[int]:
    """The code values of a Code 128 symbol for the text, start code first.

    Args:
        text: ASCII text to encode.

    Returns:
        python-barcode's code values, a dropped leading ``99`` put back;
        without the check value and the stop pattern.

    Raises:
        BarcodeTextError: If the text is empty or not ASCII, or python-barcode
            gives values that do not read back as the text.
    """
    if not text:
        raise BarcodeTextError("nothing to encode")
    if not text.isascii():
        raise BarcodeTextError(f"cannot encode {text!r} in Code 128: not ASCII")
    try:
        values = list(Code128(text).encoded)
    except (BarcodeError, KeyError, RuntimeError, ValueError) as error:
        raise BarcodeTextError(f"cannot encode {text!r} in Code 128") from error

    read = read_values(values)
    if read != text and text.startswith("99") and values[:1] == [_START_C]:
        # Issue #251: the pair 99 right after the start code was folded away.
        values.insert(1, 99)
        read = read_values(values)
    if read != text:
        raise BarcodeTextError(
            f"cannot encode {text!r} in Code 128: the encoding reads back as {read!r}"
        )
    return values


def code128_modules(text: str) -> str:
    """The modules of a Code 128 symbol for the text.

    Args:
        text: ASCII text to encode.

    Returns:
        A string of ``1`` (bar) and ``0`` (space), start to stop pattern, without
        quiet zones.

    Raises:
        BarcodeTextError: If the text cannot be encoded (see `code128_values`).
    """
    values = code128_values(text)
    # The check value: the start code plus each value times its position.
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], 1))) % 103
    return "".join(_PATTERNS[v] for v in [*values, check]) + _STOP


class Code128Symbol(Code128):  # type: ignore[misc]  # python-barcode is untyped
    """python-barcode's Code 128 for its writers, with checked modules."""

    def build(self) -> list[str]:
        """The modules, as python-barcode's writers ask for them."""
        text: str = self.code
        return [code128_modules(text)]
