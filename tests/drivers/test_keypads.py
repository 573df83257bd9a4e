"""Serial keypads (ASCII and Wiegand) against their simulated twin on a pty."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest

from drivers.keypad_codes import (
    WiegandHexFramer,
    WiegandKeys,
    decode_ascii,
    pin_block,
    six_bit,
)
from drivers.keypad_serial import SerialKeypad
from drivers.sim.keypad import SimSerialKeypad
from drivers.sim.pty import PtyHost
from tests.drivers.waiting import until


@contextlib.asynccontextmanager
async def running(sim: SimSerialKeypad, **settings: object) -> AsyncIterator[list[str]]:
    keys: list[str] = []
    async with PtyHost(sim) as host:
        keypad = SerialKeypad(host.port, **settings)  # type: ignore[arg-type]
        await keypad.start(keys.append)
        try:
            yield keys
        finally:
            await keypad.stop()


def test_ascii_decoding() -> None:
    assert decode_ascii(b"12*#\r\n\x08x9") == [
        "1",
        "2",
        "*",
        "#",
        "enter",
        "backspace",
        "9",
    ]


def test_wiegand_key_codes_from_the_rosslare_table() -> None:
    keys = WiegandKeys()
    assert keys.decode(8, 0xE1) == ["1"]
    assert keys.decode(8, 0xF0) == ["0"]
    assert keys.decode(8, 0x5A) == ["*"]
    assert keys.decode(8, 0x4B) == ["#"]
    assert keys.decode(8, 0xE2) == []  # high nibble is not the complement
    assert keys.decode(4, 0x0B) == ["#"]
    assert WiegandKeys(star_code=0x0B, hash_code=0x0A).decode(4, 0x0B) == ["*"]


def test_wiegand_pin_block_parity_and_facility() -> None:
    block = pin_block(facility=7, number=42)
    assert WiegandKeys().decode(26, block) == ["0", "0", "4", "2", "enter"]
    assert WiegandKeys(pin_digits=0).decode(26, block) == ["4", "2", "enter"]
    assert WiegandKeys(facility=8).decode(26, block) == []
    for bit in range(26):
        assert WiegandKeys().decode(26, block ^ 1 << bit) != [
            "0",
            "0",
            "4",
            "2",
            "enter",
        ]


def test_hex_framer_drops_junk_and_bad_frames() -> None:
    framer = WiegandHexFramer()
    data = b"zz\x02E1\x03\x02G1\x03\x02E" + b"1\x03\x02123\x03"
    assert framer.feed(data[:9]) + framer.feed(data[9:]) == [(8, 0xE1), (8, 0xE1)]


async def test_ascii_keypad() -> None:
    sim = SimSerialKeypad("ascii")
    async with running(sim) as keys:
        sim.press("12#\r")
        await until(lambda: len(keys) == 4)
    assert keys == ["1", "2", "#", "enter"]


@pytest.mark.parametrize("bits", [4, 8])
async def test_wiegand_keypad_per_key(bits: int) -> None:
    sim = SimSerialKeypad("wiegand-hex", wiegand_bits=bits)
    async with running(sim, protocol="wiegand-hex", key_map={"#": "enter"}) as keys:
        sim.press("90*#")
        await until(lambda: len(keys) == 4)
    assert keys == ["9", "0", "*", "enter"]


async def test_wiegand_keypad_pin_block() -> None:
    sim = SimSerialKeypad("wiegand-hex")
    async with running(sim, protocol="wiegand-hex") as keys:
        sim.enter_pin(1234, facility=3)
        await until(lambda: len(keys) == 5)
    assert keys == ["1", "2", "3", "4", "enter"]


def test_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="wiegand-hex"):
        SerialKeypad("/dev/null", protocol="morse")


def test_rosslare_six_bit_keys() -> None:
    rosslare = WiegandKeys(zero_code=0x0A, star_code=0x0B, hash_code=0x0E)
    assert rosslare.decode(6, six_bit(0x0A)) == ["0"]
    assert rosslare.decode(6, six_bit(0x07)) == ["7"]
    assert rosslare.decode(6, six_bit(0x0E)) == ["#"]
    for bit in range(6):
        assert rosslare.decode(6, six_bit(0x07) ^ 1 << bit) != ["7"]


async def test_wiegand_keypad_six_bit_mode() -> None:
    codes = {"0": 0x0A, "*": 0x0B, "#": 0x0E}
    sim = SimSerialKeypad("wiegand-hex", wiegand_bits=6, codes=codes)
    settings = {"zero_code": 0x0A, "star_code": 0x0B, "hash_code": 0x0E}
    async with running(sim, protocol="wiegand-hex", key_bits=6, **settings) as keys:
        sim.press("105#")
        await until(lambda: len(keys) == 4)
    assert keys == ["1", "0", "5", "#"]


def test_hex_framer_keeps_what_it_dropped() -> None:
    framer = WiegandHexFramer()
    assert framer.feed(b"E1\r\n\x02G1\x03\x02E1\x03") == [(8, 0xE1)]
    assert framer.take_rejected() == b"E1\r\n\x02G1\x03"
    assert framer.take_rejected() == b""


async def test_a_converter_in_another_form_makes_health_say_so() -> None:
    sim = SimSerialKeypad("wiegand-hex")
    async with PtyHost(sim) as host:
        keys: list[str] = []
        keypad = SerialKeypad(host.port, protocol="wiegand-hex")
        await keypad.start(keys.append)
        try:
            assert keypad.health().ok
            # A converter that sends each key as a hex line instead.
            host.send(b"E1\r\n")
            await until(lambda: not keypad.health().ok)
            detail = keypad.health().detail
            assert "45 31 0d 0a" in detail
            assert "no known form" in detail
            assert host.port in detail
            # A key in the known form is read again, and health recovers.
            sim.press("7")
            await until(lambda: keys == ["7"])
            assert keypad.health().ok
            # A frame that fails its check is said too.
            host.send(b"\x02E2\x03")
            await until(lambda: not keypad.health().ok)
            assert "fails its check" in keypad.health().detail
        finally:
            await keypad.stop()
    assert keys == ["7"]


async def test_an_ascii_keypad_sending_other_bytes_makes_health_say_so() -> None:
    sim = SimSerialKeypad("ascii")
    async with PtyHost(sim) as host:
        keys: list[str] = []
        keypad = SerialKeypad(host.port)
        await keypad.start(keys.append)
        try:
            host.send(b"\x02EF\x03")
            await until(lambda: not keypad.health().ok)
            assert "02 45 46 03" in keypad.health().detail
            sim.press("12")
            await until(lambda: keys == ["1", "2"])
            assert keypad.health().ok
        finally:
            await keypad.stop()
