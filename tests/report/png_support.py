"""A minimal PNG reader (8-bit RGB/RGBA, not interlaced: what Chromium's screenshots are), with zlib only."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}
"""Bytes per pixel of the colour types read: RGB and RGBA."""


@dataclass(frozen=True)
class Image:
    """Pixels as (r, g, b) rows."""

    width: int
    height: int
    pixels: list[tuple[int, int, int]]

    def non_white_share(self, tolerance: int = 8) -> float:
        """Share of pixels that differ from white by more than `tolerance` on some channel."""
        floor = 255 - tolerance
        dark = sum(1 for r, g, b in self.pixels if min(r, g, b) < floor)
        return dark / len(self.pixels)

    def colours(self) -> int:
        """How many distinct colours the image holds."""
        return len(set(self.pixels))

    def variance(self) -> float:
        """Variance of the pixels' brightness (0 for a blank image)."""
        levels = [(r + g + b) / 3 for r, g, b in self.pixels]
        mean = sum(levels) / len(levels)
        return sum((level - mean) ** 2 for level in levels) / len(levels)


def read_png(data: bytes) -> Image:
    """Decode `data`; `ValueError` for anything but 8-bit non-interlaced RGB or RGBA."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    header, compressed = _chunks(data[len(SIGNATURE) :])
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    step = CHANNELS[colour]
    raw = _unfiltered(zlib.decompress(compressed), width * step, height, step)
    pixels = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), step)]
    return Image(width, height, pixels)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height, from the header alone."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _chunks(data: bytes) -> tuple[bytes, bytes]:
    """IHDR's body and all IDAT bodies joined."""
    header, idat, at = b"", bytearray(), 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        at += 12 + length
    return header, bytes(idat)


def _unfiltered(data: bytes, stride: int, height: int, step: int) -> bytearray:
    """Undo each row's filter (None, Sub, Up, Average, Paeth)."""
    out = bytearray()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = data[start], bytearray(data[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        out += line
        previous = line
    return out


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
    near_left, near_up, near_corner = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
    if near_left <= near_up and near_left <= near_corner:
        return left
    return up if near_up <= near_corner else corner
