"""Render the app icons' PNG sizes from their hand-written SVGs, once, with Chromium.

Run from the repository root after changing ``static/icons/*.svg``::

    .venv/bin/python tools/render_icons.py

Android wants PNGs of 192 and 512 px in the web app manifest, and a full-bleed "maskable" one
that it crops to a circle or squircle. The SVGs are the source; Debian's Chromium (the one the
browser tests use, never a download) draws them, so no imaging library is needed. Chromium's
PNGs are true-colour; a first visit counts every byte on a weak connection, so each is re-packed
here as an 8-bit palette PNG (the few hundred edge shades snap to the nearest of 256 colours,
which no eye can see), about a third of the size. The PNGs are committed: the app never runs this.
"""
from __future__ import annotations

import base64
import os
import struct
import zlib
from collections import Counter
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
CHROMIUM = os.environ.get("SELFREG_CHROMIUM", "/usr/bin/chromium")
# (source SVG, PNG name, size in px)
RENDERS = (
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunks(data: bytes):
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        yield data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def decode_rgba(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert data.startswith(PNG_SIGNATURE)
    compressed = b""
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG format"
        elif kind == b"IDAT":
            compressed += body
    raw = zlib.decompress(compressed)
    channels = 4 if colour == 6 else 3
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                line[x] = (line[x] + _paeth(left, up, corner)) & 255
        for x in range(0, stride, channels):
            pixel = tuple(line[x:x + channels])
            pixels.append(pixel if channels == 4 else pixel + (255,))
        previous = line
    return width, height, pixels


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def encode_palette(width: int, height: int, pixels: list[tuple[int, int, int, int]]) -> bytes:
    """An indexed-colour PNG: the 256 most common colours; other pixels take the nearest one."""
    palette = [colour for colour, _n in Counter(pixels).most_common(256)]
    index = {colour: number for number, colour in enumerate(palette)}

    def nearest(colour):
        def distance(number):
            return sum((a - b) ** 2 for a, b in zip(palette[number], colour))

        return min(range(len(palette)), key=distance)

    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for colour in pixels[y * width:(y + 1) * width]:
            if colour not in index:
                index[colour] = nearest(colour)
            rows.append(index[colour])
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    chunks = [_chunk(b"IHDR", header), _chunk(b"PLTE", b"".join(bytes(c[:3]) for c in palette))]
    if any(colour[3] != 255 for colour in palette):
        chunks.append(_chunk(b"tRNS", bytes(colour[3] for colour in palette)))
    chunks.append(_chunk(b"IDAT", zlib.compress(bytes(rows), 9)))
    chunks.append(_chunk(b"IEND", b""))
    return PNG_SIGNATURE + b"".join(chunks)


def render() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(device_scale_factor=1)
        for source, target, size in RENDERS:
            svg = base64.b64encode((ICONS / source).read_bytes()).decode("ascii")
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(
                f'<body style="margin:0;background:transparent">'
                f'<img src="data:image/svg+xml;base64,{svg}" width="{size}" height="{size}" '
                f'style="display:block"></body>'
            )
            shot = page.screenshot(
                omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
            )
            packed = encode_palette(*decode_rgba(shot))
            (ICONS / target).write_bytes(packed)
            print(f"{target}: {len(shot)} -> {len(packed)} bytes")
        browser.close()


if __name__ == "__main__":
    render()
