"""GS1 element strings, parsed by biip."""

from __future__ import annotations

from biip import ParseError
from biip.gs1_messages import GS1Message

from kiosk.scan.result import Gs1Field


def parse_gs1(text: str) -> tuple[tuple[Gs1Field, ...], str | None]:
    """Parse a GS1 element string, FNC1 separators written as GS.

    Args:
        text: The data after the symbology identifier and leading FNC1.

    Returns:
        The fields, and None; or no fields and why parsing failed.
    """
    try:
        message = GS1Message.parse(text)
    except (ParseError, ValueError) as error:
        return (), str(error)

    fields = tuple(
        Gs1Field(ai=element.ai.ai, title=element.ai.data_title, value=element.value)
        for element in message.element_strings
    )
    return fields, None
