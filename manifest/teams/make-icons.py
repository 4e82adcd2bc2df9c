#!/usr/bin/env python3
"""Draws the two Teams app icons (no dependencies): color.png 192x192 and outline.png 32x32 (white on transparent).

The picture: four rising bars, one per department of The Model (MK, IS, FS, CS), and the baton passed across them.
Run from this folder: python3 make-icons.py
"""
import struct
import zlib


def png(path, width, height, pixels):
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def draw(size, background, bars, baton):
    s = size / 192.0
    pixels = [[background for _ in range(size)] for _ in range(size)]
    for (x0, y0, x1, y1, colour) in bars:
        for y in range(int(y0 * s), int(y1 * s)):
            for x in range(int(x0 * s), int(x1 * s)):
                pixels[y][x] = colour
    # The baton: a thick diagonal stroke from lower left to upper right, over the bars.
    (ax, ay, bx, by, width, colour) = baton
    ax, ay, bx, by, width = ax * s, ay * s, bx * s, by * s, width * s
    for y in range(size):
        for x in range(size):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x + 0.5 - ax) * dx + (y + 0.5 - ay) * dy) / (dx * dx + dy * dy)))
            px, py = ax + t * dx, ay + t * dy
            if (x + 0.5 - px) ** 2 + (y + 0.5 - py) ** 2 <= (width / 2) ** 2:
                pixels[y][x] = colour
    return pixels


blue = (0x1F, 0x4E, 0x79, 255)
white = (255, 255, 255, 255)
clear = (0, 0, 0, 0)
bars = [(26, 120, 56, 166), (66, 96, 96, 166), (106, 72, 136, 166), (146, 48, 170, 166)]
colours = [(0xF4, 0xB4, 0x00, 255), (0xDB, 0x44, 0x37, 255), (0x0F, 0x9D, 0x58, 255), (0x42, 0x85, 0xF4, 255)]

png("color.png", 192, 192, draw(192, blue, [b + (c,) for b, c in zip(bars, colours)], (30, 100, 160, 26, 14, white)))
png("outline.png", 32, 32, draw(32, clear, [b + (white,) for b in bars], (30, 100, 160, 26, 14, white)))
