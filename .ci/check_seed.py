"""CI: the importer reads the shared seed page exactly as a person does.

Usage: python .ci/check_seed.py READING.json SEED.expected.json
where READING.json is what `manage.py import_bulletin SEED.txt … --dry-run --json` printed.
"""

import json
import sys

KEYS = (
    "kind",
    "kicker",
    "headline",
    "dateline",
    "credits",
    "paragraphs",
    "subheads",
    "continued_from_page",
    "continued_on_page",
)


def main(reading_path, expected_path):
    with open(reading_path, encoding="utf-8") as handle:
        reading = json.load(handle)
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    got = [{key: item[key] for key in KEYS} for item in reading["items"]]
    want = [{key: item[key] for key in KEYS} for item in expected]
    problems = [f"reader reported errors: {reading['errors']}"] if reading["errors"] else []
    if len(got) != len(want):
        problems.append(f"{len(got)} stories read, {len(want)} expected")
    for number, (mine, theirs) in enumerate(zip(got, want, strict=False), start=1):
        problems += [
            f"story {number} {key}: read {mine[key]!r}, expected {theirs[key]!r}"
            for key in KEYS
            if mine[key] != theirs[key]
        ]
    for problem in problems:
        print(problem)
    print("seed page: read as expected" if not problems else "seed page: NOT read as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
