"""A minimal PNG reader (8-bit RGB/RGBA, not interlaced: what Chromium's screenshots are), so
tests can look at the colours a page drew without an imaging library."""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}


def size(path: Path) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, without decoding the image."""
    header = path.read_bytes()[:24]
    assert header.startswith(SIGNATURE), "not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def read_pixels(path: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels row by row)."""
    data = path.read_bytes()
    assert data.startswith(SIGNATURE), "not a PNG"
    width = height = channels = 0
    compressed = b""
    offset = len(SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in CHANNELS and interlace == 0, "unsupported PNG"
            channels = CHANNELS[colour]
        elif kind == b"IDAT":
            compressed += body
    rows = _unfilter(zlib.decompress(compressed), width, height, channels)
    pixels = [
        (row[i], row[i + 1], row[i + 2]) for row in rows for i in range(0, len(row), channels)
    ]
    return width, height, pixels


def _unfilter(raw: bytes, width: int, height: int, channels: int) -> list[bytes]:
    stride = width * channels
    add = _byte_adder(stride)
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 0:
            row = line
        elif kind == 2:  # "Up", the most common filter: added in one go
            row = add(line, previous)
        else:
            row = _unfilter_bytewise(kind, bytearray(line), previous, channels)
        rows.append(row)
        previous = row
    return rows


def _byte_adder(length: int):
    """Adds two byte strings bytewise modulo 256 with big-integer arithmetic (no carries
    cross a byte: the high bits are added apart)."""
    low = int.from_bytes(b"\x7f" * length, "big")
    high = int.from_bytes(b"\x80" * length, "big")

    def add(a: bytes, b: bytes) -> bytes:
        x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
        return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(length, "big")

    return add


def _unfilter_bytewise(kind: int, line: bytearray, previous: bytes, channels: int) -> bytes:
    for i in range(len(line)):
        left = line[i - channels] if i >= channels else 0
        corner = previous[i - channels] if i >= channels else 0
        line[i] = (line[i] + _predict(kind, left, previous[i], corner)) & 0xFF
    return bytes(line)


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    return (left, up, corner)[distances.index(min(distances))]


def colour_counts(path: Path) -> Counter[tuple[int, int, int]]:
    return Counter(read_pixels(path)[2])


def hex_colour(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
