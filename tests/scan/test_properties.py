"""Properties of scan interpretation over arbitrary input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.scan import ScanStatus, interpret
from kiosk.scan import checkdigits as cd

# Bytes that carry no data: C0 controls but GS, space, DEL, and bytes that are
# never valid UTF-8.
_NO_DATA = [bytes([b]) for b in range(0x20) if b != 0x1D] + [
    b" ",
    b"\x7f",
    b"\xff",
    b"\xfe",
    b"\xc0",
]
_CARRIERS = st.sampled_from(
    [None, ["usps"], ["fedex", "ups"], ["dhl", "royal_mail"], ["bogus"]]
)


@given(
    st.one_of(
        st.binary(max_size=200),
        # Structured carrier messages, with whatever follows their header.
        st.binary(max_size=120).map(lambda tail: b"[)>\x1e01\x1d" + tail),
    ),
    st.one_of(st.none(), st.binary(max_size=4)),
    _CARRIERS,
)
def test_never_raises_and_explains_every_refusal(
    raw: bytes, suffix: bytes | None, carriers: list[str] | None
) -> None:
    result = interpret(raw, suffix=suffix, accepted_carriers=carriers)

    assert result.raw == raw
    # The safety net in `interpret` is for bugs; no input should reach it.
    assert not (result.reason or "").startswith("could not interpret")
    if result.tracking_number is None:
        assert result.reason
    else:
        assert result.reason is None
        assert result.status in {ScanStatus.RECOGNISED, ScanStatus.UNKNOWN_FORMAT}
    assert result.near_miss == (result.status is ScanStatus.NEAR_MISS)


@given(
    st.one_of(
        st.text(max_size=120),
        # Digits of other scripts and superscripts pass str.isdigit.
        st.text(alphabet="0123456789²٣߂١1Z]C\x1d", max_size=40),
        st.text(alphabet="[)>0169UPSN1Z\x1d\x1e", max_size=60),
    )
)
def test_any_text_is_interpreted_without_raising(text: str) -> None:
    result = interpret(text.encode("utf-8", errors="surrogatepass"))

    assert result.status in set(ScanStatus)
    assert not (result.reason or "").startswith("could not interpret")


@given(st.lists(st.sampled_from(_NO_DATA), max_size=40))
def test_input_without_data_is_unreadable(parts: list[bytes]) -> None:
    result = interpret(b"".join(parts))

    assert result.status is ScanStatus.UNREADABLE
    assert result.tracking_number is None
    assert result.reason


@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"\xef\xbf\xbd" not in b))
def test_bytes_that_are_not_utf8_inside_the_data_are_unreadable(tail: bytes) -> None:
    raw = b"1Z5R8939\xff" + tail + b"0357567127"

    result = interpret(raw)

    assert result.status is ScanStatus.UNREADABLE
    assert result.reason


@given(
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=6, max_size=6),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from([b"", b"\r", b"\r\n", b"\t", b"\x03\r"]),
    st.sampled_from([b"", b"]C0", b"\x02", b"\x02]C0", b" "]),
)
def test_any_valid_ups_number_survives_any_framing(
    shipper: str, rest: str, suffix: bytes, prefix: bytes
) -> None:
    body = shipper + rest
    number = f"1Z{body}{cd.ups_1z(body)}"

    result = interpret(prefix + number.encode() + suffix)

    assert result.tracking_number == number
