"""Keyboard-wedge decoding: scans told from typing by their speed."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from drivers.wedge import KeyboardWedgeScanner, Scan, Typed, WedgeDecoder
from tests.drivers.waiting import until


def _type(
    decoder: WedgeDecoder, keys: list[str], start: float, gap: float
) -> list[object]:
    events: list[object] = []
    for index, key in enumerate(keys):
        events += decoder.key(key, start + index * gap)
    return events


def test_fast_run_with_enter_is_a_scan() -> None:
    decoder = WedgeDecoder()
    events = _type(decoder, [*"JJD0002249", "enter"], 0.0, 0.004)
    assert events == [Scan("JJD0002249")]


def test_back_to_back_scans_stay_apart() -> None:
    decoder = WedgeDecoder()
    events = _type(decoder, [*"AAAA", "enter", *"BBBB", "enter"], 0.0, 0.003)
    assert events == [Scan("AAAA"), Scan("BBBB")]


def test_slow_typing_is_typing() -> None:
    decoder = WedgeDecoder()
    events = _type(decoder, [*"1234", "enter"], 0.0, 0.15)
    events += decoder.idle(10.0)
    keys = [key for event in events if isinstance(event, Typed) for key in event.keys]
    assert keys == [*"1234", "enter"]
    assert not any(isinstance(event, Scan) for event in events)


def test_a_scan_without_end_key_is_decided_when_quiet() -> None:
    decoder = WedgeDecoder()
    assert _type(decoder, [*"ABCDEF"], 0.0, 0.002) == []
    assert decoder.idle(0.05) == []
    assert decoder.idle(0.2) == [Scan("ABCDEF")]


@given(
    st.lists(
        st.tuples(
            st.sampled_from([*"0123456789AB", "enter", "tab", "backspace"]),
            st.floats(0, 0.3),
        ),
        max_size=40,
    )
)
def test_no_key_is_lost_or_reordered(presses: list[tuple[str, float]]) -> None:
    decoder = WedgeDecoder()
    now, events = 0.0, []
    for key, gap in presses:
        now += gap
        events += decoder.key(key, now)
    events += decoder.idle(now + 1)
    assert not decoder.pending
    out: list[str] = []
    for event in events:
        if isinstance(event, Scan):
            assert len(event.data) >= 4
            out += list(event.data)
        else:
            out += list(event.keys)
    typed = [key for key, _ in presses]
    ends = ("enter", "tab")
    # Scans drop only their end key; every other key comes out, in order.
    assert [k for k in out if k not in ends] == [k for k in typed if k not in ends]
    assert sum(k in ends for k in out) <= sum(k in ends for k in typed)


async def test_scanner_adapter_on_the_event_loop() -> None:
    typed: list[tuple[str, ...]] = []
    scans: list[bytes] = []
    wedge = KeyboardWedgeScanner(typed.append)
    await wedge.start(scans.append)
    for key in [*"1Z999AA1", "enter"]:
        wedge.key(key)
    wedge.key("7")
    await asyncio.sleep(0.15)
    wedge.key("#")
    await until(lambda: len(typed) == 2, within=1)
    await wedge.stop()
    assert scans == [b"1Z999AA1"]
    assert typed == [("7",), ("#",)]
    assert not wedge.health().ok
