"""Pictures for the demo paper, drawn with Pillow: hills, fields, a sky, a few figures.

Each picture is made from a seed, so the same story always gets the same one.
"""

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800

SKIES = [((120, 170, 220), (225, 236, 245)), ((236, 170, 120), (250, 226, 190)), ((150, 190, 210), (235, 240, 235))]
EARTH = [(176, 146, 96), (140, 160, 90), (196, 170, 120), (120, 140, 80)]


def draw_picture(seed):
    """A JPEG (bytes) of an invented Gansu scene."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top, bottom = rng.choice(SKIES)
    horizon = rng.randint(HEIGHT // 3, HEIGHT // 2)
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    sun_x, sun_y = rng.randint(100, WIDTH - 100), rng.randint(60, horizon - 60)
    draw.ellipse([sun_x - 40, sun_y - 40, sun_x + 40, sun_y + 40], fill=(255, 244, 214))
    for layer in range(3):
        shade = 150 - layer * 35
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, horizon - rng.randint(0, 140 - layer * 40) + layer * 40))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=(shade, shade - 10, shade - 40 + layer * 10))
    ground = rng.choice(EARTH)
    field_top = horizon + 80
    draw.rectangle([0, field_top, WIDTH, HEIGHT], fill=ground)
    for row in range(field_top + 20, HEIGHT, 28):
        draw.line([(0, row), (WIDTH, row + rng.randint(-10, 10))], fill=tuple(max(0, c - 30) for c in ground), width=4)
    for _ in range(rng.randint(3, 8)):
        x = rng.randint(40, WIDTH - 40)
        y = rng.randint(field_top + 30, HEIGHT - 60)
        coat = rng.choice([(40, 60, 120), (150, 30, 40), (60, 60, 60), (220, 220, 210)])
        draw.ellipse([x - 9, y - 48, x + 9, y - 30], fill=(70, 50, 40))
        draw.rectangle([x - 13, y - 30, x + 13, y + 10], fill=coat)
        draw.rectangle([x - 11, y + 10, x + 11, y + 40], fill=(40, 40, 50))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
