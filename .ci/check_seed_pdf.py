"""CI: the importer reads the shared seed page's PDF into the expected stories and zones.

Usage: python .ci/check_seed_pdf.py READING.json SEED.expected.json SEED.zones.json
where READING.json is what `manage.py import_bulletin SEED.pdf … --dry-run --json` printed.

Stories are matched by headline: a laid-out page has no one order of its stories. Prints the
share of expected fields read as expected and each zone's IoU (intersection over union) with
the zone a person drew; fails below the target (every field, every zone IoU >= 0.7).
"""

import json
import sys

# The fields a person's reading gives, as the text seed checks them.
from check_seed import KEYS

MIN_IOU = 0.7


def iou(a, b):
    """Intersection over union of two rectangles [x0, y0, x1, y1]."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def main(reading_path, expected_path, zones_path):
    with open(reading_path, encoding="utf-8") as handle:
        reading = json.load(handle)
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    with open(zones_path, encoding="utf-8") as handle:
        drawn = {story["headline"]: story["zones"] for page in json.load(handle)["pages"] for story in page["stories"]}
    read = {item["headline"]: item for item in reading["items"]}
    problems = [f"reader reported errors: {reading['errors']}"] if reading["errors"] else []
    if len(reading["items"]) != len(expected):
        problems.append(f"{len(reading['items'])} stories read, {len(expected)} expected")
    fields = matched = 0
    ious = []
    for number, theirs in enumerate(expected, start=1):
        mine = read.get(theirs["headline"], {})
        for key in KEYS:
            fields += 1
            if key in mine and mine[key] == theirs[key]:
                matched += 1
            else:
                problems.append(f"story {number} {key}: read {mine.get(key)!r}, expected {theirs[key]!r}")
        mine_zones = [[z["x"], z["y"], z["x"] + z["w"], z["y"] + z["h"]] for z in mine.get("zones", [])]
        for zone in drawn.get(theirs["headline"], []):
            best = max((iou(zone, other) for other in mine_zones), default=0.0)
            ious.append(best)
            print(f"story {number} zone IoU {best:.3f}  {theirs['headline']}")
            if best < MIN_IOU:
                problems.append(f"story {number} zone IoU {best:.3f} < {MIN_IOU}")
    for problem in problems:
        print(problem)
    print(f"seed PDF: {matched}/{fields} fields as expected ({matched / fields:.1%}); zones IoU min {min(ious):.3f}")
    print("seed PDF: read as expected" if not problems else "seed PDF: NOT read as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
