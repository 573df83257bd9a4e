"""Checksums used by device protocols."""

from __future__ import annotations


def sum8(data: bytes | bytearray | memoryview) -> int:
    """The byte sum modulo 256."""
    return sum(data) & 0xFF


def xor8(data: bytes | bytearray | memoryview) -> int:
    """Every byte XORed together."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def crc16_modbus(data: bytes | bytearray | memoryview) -> int:
    """CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF).

    On the wire it is sent low byte first.
    """
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc
