"""Arbitrary bytes fed to every frame parser and scanner decoder.

Nothing may raise (other than `DeviceError` for a reply that fails its check),
and nothing may be taken as a frame unless its check holds. Where a decoder
can be driven with valid input among junk, what it gives back must be what
was sent.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st
from pymodbus.pdu import ModbusPDU

from drivers import modbus_frames as modbus
from drivers.base import DeviceError
from drivers.board_8a80 import StatusExtractor as Extractor8A80
from drivers.checksums import crc16_modbus, sum8, xor8
from drivers.framing import take_frame
from drivers.hidpos import REPORT_ID, HidPosAssembler
from drivers.hidpos import report as hidpos_report
from drivers.kerong_cu48 import Cu48Extractor
from drivers.kerong_cu48 import is_valid as cu48_valid
from drivers.kerong_frames import ReplyExtractor, is_valid
from drivers.keypad_codes import (
    WiegandHexFramer,
    WiegandKeys,
    decode_ascii,
    pin_block,
    six_bit,
)
from drivers.scan_framing import ScanFramer
from drivers.winnsen import StatusExtractor as WinnsenExtractor
from drivers.wkly import QueryExtractor as WklyQueryExtractor
from drivers.wkly import take as wkly_take

chunks = st.lists(st.binary(max_size=40), max_size=12)


def _kerong_reply(board: int, locks: int, sensors: int) -> bytes:
    body = bytes(
        (2, board << 4, 0x35, locks & 255, locks >> 8, sensors & 255, sensors >> 8, 3)
    )
    return body + bytes((sum8(body),))


@given(chunks, st.integers(0, 15))
def test_kerong_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    extractor = ReplyExtractor(board)
    buffer = bytearray()
    seen = b""
    for piece in pieces:
        buffer += piece
        seen += piece
        try:
            reply = extractor(buffer)
        except DeviceError:
            continue
        if reply is not None:
            frame = _kerong_reply(board, reply.locks, reply.sensors)
            assert is_valid(frame)
            assert frame in seen


@given(st.binary(max_size=30), st.integers(0, 15), st.integers(0, 0xFFFF))
def test_kerong_extractor_finds_a_reply_behind_junk(
    junk: bytes, board: int, locks: int
) -> None:
    frame = _kerong_reply(board, locks, 0)
    buffer = bytearray(junk + frame)
    replies = []
    for _ in range(len(buffer) + 1):
        try:
            reply = ReplyExtractor(board)(buffer)
        except DeviceError:
            continue
        if reply is not None:
            replies.append(reply)
            break
    assert replies
    found = _kerong_reply(board, replies[0].locks, replies[0].sensors)
    # Either the real reply, or a valid reply for this board hidden in the junk.
    assert found == frame or found in junk + frame[:-1]


@given(chunks, st.sampled_from([b"\r", b"\r\n", b"\t", b""]), st.booleans())
def test_scan_framer_never_raises_and_loses_no_data(
    pieces: list[bytes], suffix: bytes, embedded: bool
) -> None:
    framer = ScanFramer(suffix, embedded=embedded, max_length=64)
    scans: list[bytes] = []
    for piece in pieces:
        scans += framer.feed(piece)
    scans += framer.idle()
    assert not framer.pending
    assert all(scans)
    joined = b"".join(pieces)
    for scan in scans:
        assert scan in joined
        if suffix and not embedded:
            assert suffix not in scan


def _feed(extract: Callable[[bytearray], object], pieces: list[bytes]) -> list[object]:
    """Feed pieces one by one; collect what the extractor returns."""
    buffer = bytearray()
    found: list[object] = []
    for piece in pieces:
        buffer += piece
        try:
            result = extract(buffer)
        except DeviceError:
            continue
        if result is not None:
            found.append(result)
    return found


@given(chunks, st.integers(0, 3))
def test_cu48_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    for bits in _feed(Cu48Extractor(board), pieces):
        assert isinstance(bits, int)
        data = bits.to_bytes(6, "little")
        # Some 18-byte window of the input must hold these bits with a good sum.
        joined = b"".join(pieces)
        assert any(
            joined[i + 4 : i + 10] == data and cu48_valid(joined[i : i + 18])
            for i in range(len(joined) - 17)
        )


@given(chunks, st.integers(0, 3))
def test_8a80_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    joined = b"".join(pieces)
    for bits in _feed(Extractor8A80(board), pieces):
        assert isinstance(bits, int)
        frame_body = bytes((0x80, board, bits >> 16, bits >> 8 & 255, bits & 255, 0x33))
        assert frame_body + bytes((xor8(frame_body),)) in joined


@given(chunks, st.integers(0, 3), st.integers(1, 16))
def test_winnsen_extractor_accepts_only_well_formed_replies(
    pieces: list[bytes], station: int, lock: int
) -> None:
    joined = b"".join(pieces)
    for status in _feed(WinnsenExtractor(station, lock), pieces):
        assert isinstance(status, int)
        assert bytes((0x90, 7, 0x92, station, status, lock, 3)) in joined


@given(chunks)
def test_wkly_framing_accepts_only_checked_frames(pieces: list[bytes]) -> None:
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while (found := wkly_take(buffer)) is not None:
            assert found[:4] == b"WKLY"
            assert found[4] == len(found)
            assert xor8(found[:-1]) == found[-1]


@given(chunks, st.integers(0, 3))
def test_wkly_query_extractor_never_raises_unexpectedly(
    pieces: list[bytes], board: int
) -> None:
    events: list[bytes] = []
    for states in _feed(WklyQueryExtractor(board, events.append), pieces):
        assert isinstance(states, bytes)
    assert all(event[6] == 0x85 and xor8(event[:-1]) == event[-1] for event in events)


@given(st.binary(max_size=60), st.binary(min_size=1, max_size=4))
def test_take_frame_never_returns_an_invalid_frame(data: bytes, start: bytes) -> None:
    buffer = bytearray(data)
    for _ in range(len(data) + 1):
        found = take_frame(
            buffer,
            start=start,
            header=len(start) + 1,
            length=lambda head: head[-1] % 12 or None,
            valid=lambda frame: sum8(frame[:-1]) == frame[-1],
        )
        if found is None:
            break
        assert found.startswith(start)
        assert sum8(found[:-1]) == found[-1]


@given(chunks)
def test_ascii_keypad_decoder_yields_only_keys(pieces: list[bytes]) -> None:
    allowed = {*"0123456789*#", "enter", "backspace"}
    for piece in pieces:
        assert set(decode_ascii(piece)) <= allowed


@given(chunks, st.sampled_from([8, 6]))
def test_wiegand_hex_framer_and_keys_never_raise(
    pieces: list[bytes], key_bits: int
) -> None:
    framer = WiegandHexFramer(key_bits=key_bits)
    keys = WiegandKeys()
    allowed = {*"0123456789*#", "enter"}
    for piece in pieces:
        for bits, value in framer.feed(piece):
            assert bits in (4, key_bits, 26)
            decoded = keys.decode(bits, value)
            assert set(decoded) <= allowed
            if bits == 8 and decoded:
                assert value >> 4 == (value & 15) ^ 15
            if bits == 6 and decoded:
                # Only a frame whose two parity bits hold gives a key.
                assert value < 64
                assert six_bit(value >> 1 & 0x0F) == value
        framer.take_rejected()


@given(
    st.lists(st.sampled_from([*range(10), 0x0A, 0x0B]), max_size=12),
    st.integers(1, 4),
)
def test_six_bit_keys_survive_the_framer_in_any_pieces(
    codes: list[int], cut: int
) -> None:
    stream = b"".join(b"\x02%02X\x03" % six_bit(code) for code in codes)
    framer = WiegandHexFramer(key_bits=6)
    keys = WiegandKeys()
    decoded: list[str] = []
    for start in range(0, len(stream), cut):
        for bits, value in framer.feed(stream[start : start + cut]):
            decoded += keys.decode(bits, value)
    assert decoded == [keys.key(code) for code in codes]
    assert framer.take_rejected() == b""


@given(st.integers(0, (1 << 26) - 1))
def test_pin_block_accepted_only_with_both_parities(value: int) -> None:
    decoded = WiegandKeys(pin_digits=0).decode(26, value)
    if decoded:
        number = int("".join(decoded[:-1]))
        assert pin_block(value >> 17 & 0xFF, number) == value


invalid_reports = st.binary(max_size=70).filter(
    lambda raw: len(raw) < 5 or raw[0] != REPORT_ID
)
scans_sent = st.lists(
    st.tuples(
        st.sampled_from([b"]C0", b"]Q1", b"]d2", b"\0\0\0"]),
        st.lists(st.binary(min_size=1, max_size=56), min_size=1, max_size=4),
    ),
    max_size=4,
)


@given(scans_sent, st.lists(st.tuples(st.integers(0, 20), invalid_reports)))
def test_hidpos_assembler_gives_back_what_was_sent(
    sent: list[tuple[bytes, list[bytes]]],
    noise: list[tuple[int, bytes]],
) -> None:
    reports = [
        hidpos_report(chunk, aim, more=index < len(chunks) - 1)
        for aim, chunks in sent
        for index, chunk in enumerate(chunks)
    ]
    # Reports of other kinds, anywhere in the stream, must change nothing.
    for position, raw in noise:
        reports.insert(min(position, len(reports)), raw)
    for include_aim in (True, False):
        assembler = HidPosAssembler(include_aim=include_aim)
        scans = [scan for raw in reports if (scan := assembler.feed(raw)) is not None]
        expected = [
            (aim if include_aim and aim.startswith(b"]") else b"") + b"".join(chunks)
            for aim, chunks in sent
        ]
        assert scans == expected


@given(st.lists(invalid_reports, max_size=8))
def test_hidpos_assembler_takes_nothing_from_other_reports(
    reports: list[bytes],
) -> None:
    assembler = HidPosAssembler()
    assert all(assembler.feed(raw) is None for raw in reports)


def _modbus_frame(body: bytes) -> bytes:
    """A frame with its CRC, computed by the project's own code, not pymodbus."""
    return body + crc16_modbus(body).to_bytes(2, "little")


modbus_requests = st.sampled_from(
    [
        modbus.read_inputs(1, 0, 8),
        modbus.read_coils(2, 0, 16),
        modbus.write_coils(1, 0, [False] * 8),
        modbus.write_coil(1, 3, True),
    ]
)


def _replies(request: bytes) -> st.SearchStrategy[bytes]:
    """Frames a line may carry after `request`: good, garbled, for others."""
    unit, function = request[0], request[1]
    if function in (modbus.READ_INPUTS, modbus.READ_COILS):
        size = (int.from_bytes(request[4:6], "big") + 7) // 8
        good = st.binary(min_size=size, max_size=size).map(
            lambda data: _modbus_frame(bytes((unit, function, len(data))) + data)
        )
    else:
        good = st.just(_modbus_frame(request[:6]))
    refused = st.integers(1, 4).map(
        lambda code: _modbus_frame(bytes((unit, function | 0x80, code)))
    )
    garbled = good.map(lambda frame: frame[:-1] + bytes(((frame[-1] + 1) % 256,)))
    other_unit = good.map(
        lambda frame: _modbus_frame(bytes((unit % 247 + 1,)) + frame[1:-2])
    )
    return st.one_of(good, refused, garbled, other_unit)


@given(st.data(), modbus_requests, st.sampled_from([True, False, None]))
def test_modbus_extractor_accepts_only_checked_replies(
    data: st.DataObject, request: bytes, echo: bool | None
) -> None:
    if echo is None and modbus.mirrors(request):
        echo = True
    segments = data.draw(
        st.lists(
            st.one_of(st.binary(max_size=12), st.just(request), _replies(request)),
            max_size=6,
        )
    )
    joined = b"".join(segments)
    cut = data.draw(st.integers(1, 12))
    pieces = [joined[i : i + cut] for i in range(0, len(joined), cut)]
    extractor = modbus.ReplyExtractor(request, echo)
    found = _feed(extractor, pieces)
    if not found:
        return
    pdu = found[0]
    assert isinstance(pdu, ModbusPDU)
    unit, function = request[0], request[1]
    if pdu.isError():
        body = bytes((unit, function | 0x80, pdu.exception_code))
    elif function in (modbus.READ_INPUTS, modbus.READ_COILS):
        packed = bytes(
            sum(1 << bit for bit in range(8) if pdu.bits[byte * 8 + bit])
            for byte in range(len(pdu.bits) // 8)
        )
        body = bytes((unit, function, len(packed))) + packed
    else:
        body = request[:6]
    frame = _modbus_frame(body)
    assert frame in joined
    if echo:
        # Our own bytes came back first, and the reply only after them.
        echoed = joined.find(request)
        assert echoed >= 0
        assert joined.find(frame, echoed + len(request)) >= 0


@given(
    st.integers(1, 247),
    st.integers(0, 255),
    st.binary(max_size=12),
    st.booleans(),
    st.integers(1, 6),
)
def test_modbus_reply_is_found_behind_an_echo_and_noise_in_any_pieces(
    unit: int, inputs: int, noise: bytes, echo: bool, cut: int
) -> None:
    request = modbus.read_inputs(unit, 0, 8)
    reply = _modbus_frame(bytes((unit, 0x02, 1, inputs)))
    stream = (request if echo else b"") + noise + reply
    extractor = modbus.ReplyExtractor(request, echo)
    buffer = bytearray()
    found = None
    refused = False
    for start in range(0, len(stream), cut):
        buffer += stream[start : start + cut]
        try:
            found = extractor(buffer)
        except DeviceError:
            # A frame shaped like the reply failed its CRC: the driver asks
            # again, so this exchange may end here.
            refused = True
        if found is not None:
            break
    if found is None:
        assert refused
        return
    bits = found.bits
    value = sum(1 << i for i in range(8) if bits[i])
    # Noise may itself hold a valid reply; otherwise it is this one.
    assert value == inputs or _modbus_frame(bytes((unit, 0x02, 1, value))) in stream
