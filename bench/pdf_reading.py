"""How well the PDF reader reads pages laid out by a tool it was never tuned on (Chromium).

    make bench-pdf-reading      # .venv/bin/python -m bench.pdf_reading [--keep DIR]

Prints, per layout of `bench/pdf_layouts.py`: its stories, the fields read as the story's text
reads (kind, kicker, headline, subheadline, dateline, credits, paragraphs, subheads, and the
continuation pages; stories matched by headline, a story not found counts every field wrong),
the zones the reader found within IoU >= 0.7 of the laid-out ones, the stories it read that
were not there, and the seconds the reading took; then the totals against the targets
(>= 95% of fields, >= 90% of zones).
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = (
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "dateline",
    "credits",
    "paragraphs",
    "subheads",
    "continued_from_page",
    "continued_on_page",
)
MIN_IOU = 0.7
FIELDS_TARGET, ZONES_TARGET = 0.95, 0.90
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


@dataclass
class Score:
    layout: str
    stories: int = 0
    fields: int = 0
    fields_right: int = 0
    zones: int = 0
    zones_right: int = 0
    extra: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def iou(a, b) -> float:
    """Intersection over union of two rectangles (x0, y0, x1, y1)."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def expected_fields(story) -> dict:
    """What the page-text reader reads from the story's own text."""
    from newsroom.bulletin.pagetext import parse_page

    reading = parse_page(story.text(), source="稿件")
    assert len(reading.items) == 1 and not reading.errors, (story.text(), reading.errors)
    return reading.items[0].as_dict()


def read(layout, data: bytes):
    """The layout's printed page read by the reader, and the seconds it took."""
    from newsroom.bulletin.pdfpage import read_pdf

    started = time.perf_counter()
    (page,) = read_pdf(data, source=layout.name)
    return page, time.perf_counter() - started


def score(layout, zones, page, seconds=0.0) -> Score:
    """One printed layout's reading (`page`), against what was laid out."""
    result = Score(layout.name, stories=len(layout.stories), seconds=seconds)
    read = {}
    for item, item_zones in zip(page.items, page.zones, strict=True):
        read[item.headline] = (item.as_dict(), [(z["x"], z["y"], z["x"] + z["w"], z["y"] + z["h"]) for z in item_zones])
    wanted = set()
    for story, story_zones in zip(layout.stories, zones, strict=True):
        theirs = expected_fields(story)
        wanted.add(theirs["headline"])
        mine, mine_zones = read.get(theirs["headline"], ({}, []))
        for key in FIELDS:
            result.fields += 1
            if key in mine and mine[key] == theirs[key]:
                result.fields_right += 1
            else:
                result.problems.append(f"{theirs['headline']} {key}: 读出 {mine.get(key)!r}，应为 {theirs[key]!r}")
        for zone in story_zones:
            best = max((iou(zone, other) for other in mine_zones), default=0.0)
            result.zones += 1
            if best >= MIN_IOU:
                result.zones_right += 1
            else:
                result.problems.append(f"{theirs['headline']} 区域 IoU {best:.2f}")
    extra = [headline for headline in read if headline not in wanted]
    result.extra = len(extra)
    result.problems += [f"多读出的稿件：{headline!r}" for headline in extra]
    result.problems += [f"{problem.field}: {problem.message}" for problem in page.errors]
    return result


def measure(browser, keep: Path | None = None) -> list[Score]:
    """Every layout printed by `browser` (a Playwright Chromium) and read."""
    from bench.pdf_layouts import layouts, print_layout

    scores = []
    for number, layout in enumerate(layouts(), start=1):
        data, zones = print_layout(browser, layout)
        if keep:
            (keep / f"layout-{number}.pdf").write_bytes(data)
            (keep / f"layout-{number}.html").write_text(layout.html, encoding="utf-8")
        scores.append(score(layout, zones, *read(layout, data)))
    return scores


def table(scores: list[Score]) -> str:
    lines = [f"{'layout':<12}{'stories':>8}{'fields right':>20}{'zones IoU>=0.7':>20}{'extra':>7}{'s/page':>8}"]
    for row in scores + [_total(scores)]:
        fields = f"{row.fields_right}/{row.fields} ({row.fields_right / row.fields:.1%})"
        zones = f"{row.zones_right}/{row.zones} ({row.zones_right / row.zones:.1%})"
        lines.append(f"{row.layout:<12}{row.stories:>8}{fields:>20}{zones:>20}{row.extra:>7}{row.seconds:>8.2f}")
    total = _total(scores)
    fields_share, zones_share = total.fields_right / total.fields, total.zones_right / total.zones
    lines.append(
        f"targets: fields {fields_share:.1%} (>= {FIELDS_TARGET:.0%}: {_met(fields_share, FIELDS_TARGET)}), "
        f"zones {zones_share:.1%} (>= {ZONES_TARGET:.0%}: {_met(zones_share, ZONES_TARGET)})"
    )
    return "\n".join(lines)


def _met(share: float, target: float) -> str:
    return "met" if share >= target else "NOT met"


def _total(scores: list[Score]) -> Score:
    total = Score("total")
    for row in scores:
        for name in ("stories", "fields", "fields_right", "zones", "zones_right", "extra"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.seconds = sum(row.seconds for row in scores) / len(scores)  # per page
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Read pages Chromium laid out, and score the reading.")
    parser.add_argument("--keep", type=Path, help="write each layout's HTML and PDF into this folder")
    parser.add_argument("--verbose", action="store_true", help="print every field and zone read wrong")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from playwright.sync_api import sync_playwright

    django.setup()
    if not CHROMIUM.exists():
        print(f"Chromium is needed at {CHROMIUM}: apt-get install chromium fonts-wqy-zenhei", file=sys.stderr)
        return 1
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            scores = measure(browser, options.keep)
        finally:
            browser.close()
    if options.verbose:
        for row in scores:
            for problem in row.problems:
                print(f"[{row.layout}] {problem}")
    print(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
