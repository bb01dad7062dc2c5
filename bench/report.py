"""What a benchmark run says: the files it writes and the table it prints."""

import json
import os
import platform
import sqlite3
import unicodedata
from pathlib import Path

from django.db import connection

from bench.server import PAGE_CACHE_VARIABLE, SERVER_LOG

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
RUN_DETAILS = BENCH_DIR / "results-run.json"
# JSON, so that .gitignore's bench/results*.json keeps the plans out of commits too.
PLANS = BENCH_DIR / "results-plans.json"
HEADERS = ["name", "url", "cached", "rps", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors", "queries"]
RIGHT_ALIGNED = {3, 4, 5, 6, 7, 8, 9}


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    return f"{platform.node()}, {model}, {os.cpu_count()} cores"


def database_version():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


def floor_sessions(floors):
    """{"uncached": …, "cached": …}: each server's floor before the pages, its rps the mean of before and after."""
    sessions = {}
    for cached, label in ((False, "uncached"), (True, "cached")):
        before, after = floors[cached]
        mean = round((before["rps"] + after["rps"]) / 2, 1)
        sessions[label] = {**before, "rps": mean, "before": before, "after": after}
    return sessions


def summarise(stories, pages, rows, sessions):
    """The summary (``bench/results.json``): one entry per page and server, in the pages' order."""
    return {
        "machine": machine(),
        "database": database_version(),
        "stories": stories,
        "floor_rps": sessions["uncached"]["rps"],
        "pages": [
            {
                "name": page.name,
                "url": page.url,
                "rps": result["rps"],
                "ratio_to_floor": round(result["rps"] / floor, 3) if floor else 0.0,
                "p50_ms": result["p50_ms"],
                "p95_ms": result["p95_ms"],
                "p99_ms": result["p99_ms"],
                "errors": result["errors"],
                "queries": queries,
                "cached": cached,
            }
            for page, cached, result, queries, floor in sorted(rows, key=lambda row: (pages.index(row[0]), row[1]))
        ],
    }


def run_details(*, build, load, ceiling, server, sessions, rows, profiles):
    """How the run measured (``bench/results-run.json``): the archive, the load, the server, every result."""
    return {
        "archive": build,
        "load": {
            "tool": load["tool"],
            "connections": load["connections"],
            "duration_s": load["duration"],
            "warmup_s": load["warmup"],
            "client_ceiling": ceiling,
        },
        "server": {
            "command": "gunicorn config.wsgi:application",
            **server,
            "conn_max_age": os.environ.get("CONN_MAX_AGE"),
        },
        "floor": sessions,
        "pages": [
            {"name": page.name, "url": page.url, "cached": cached, "floor_rps": floor, **result}
            for page, cached, result, queries, floor in rows
        ],
        "profiles": {
            name: {key: value for key, value in profile.items() if key != "slowest"}
            for name, profile in profiles.items()
        },
    }


def print_report(summary, sessions, profiles, outcomes, *, load, server, ceiling):
    """The table, what it means, each page's slowest query, and the errors and time-outs."""
    print()
    print(f"{summary['stories']} stories · {summary['database']} · {summary['machine']}")
    print(
        f"gunicorn {server['workers']} {server['worker_class']} workers · {load['tool']}, {load['connections']} "
        f"connections, {load['duration']:g} s per URL · load generator ceiling {ceiling['rps']:.0f} rps · "
        f"floor {summary['floor_rps']:.1f} rps"
    )
    floor = sessions["uncached"]
    print(
        f"the load generator itself used {floor['client_cpu_s'] / floor['seconds']:.2f} of a core while driving the "
        f"floor ({floor['requests']} requests); on pages it uses far less"
    )
    print()
    print_table(table_rows(summary, sessions, outcomes))
    print()
    print(
        f"* cached rows come from a second server started with {PAGE_CACHE_VARIABLE}=1, the others from one with "
        f"{PAGE_CACHE_VARIABLE}=0. Where the site caches nothing (0 queries on a cached row says it does), the two "
        "rows are equal within noise. queries: SQL queries of one request, the second of two (a cache is warm)."
    )
    print("  ratio is rps over the floor (/_floor/: fixed response, same middleware) measured on the same server.")
    print(
        "  errors count non-2xx/3xx answers, socket errors and requests still unanswered after the whole window; "
        "≥: so many timed out that the percentile is at least the window."
    )
    print()
    print(f"Slowest query per page (plans in {PLANS.relative_to(BASE_DIR)}):")
    for name, profile in profiles.items():
        for plan in profile.get("plans", [])[:1]:
            print(f"  {name:<28} {plan['ms']:8.2f} ms  " + " | ".join(plan["summary"][:4]))
    failing = sorted({name for (name, _), r in outcomes.items() if r["status_errors"] + r["socket_errors"]})
    if failing:
        print(f"\nERRORS on {', '.join(failing)}: these rows measure failures, not pages. See {SERVER_LOG}.")
    slow = sorted({name for (name, _), result in outcomes.items() if result["timeouts"]})
    if slow:
        print(f"\nTimed out (no answer within the {load['duration']:g} s window): {', '.join(slow)}.")
    written = ", ".join(str(path.relative_to(BASE_DIR)) for path in (RESULTS, RUN_DETAILS, PLANS))
    print(f"\nWrote {written}")


def table_rows(summary, sessions, outcomes):
    """One row of cells per page and server, then the two floors."""

    def latency(page, key):
        bound = key in outcomes[(page["name"], page["cached"])].get("lower_bounds", [])
        return ("≥" if bound else "") + f"{page[key]:.1f}"

    rows = [
        [
            page["name"],
            page["url"],
            "yes*" if page["cached"] else "no",
            f"{page['rps']:.1f}",
            f"{page['ratio_to_floor']:.3f}",
            latency(page, "p50_ms"),
            latency(page, "p95_ms"),
            latency(page, "p99_ms"),
            str(page["errors"]),
            str(page["queries"]),
        ]
        for page in summary["pages"]
    ]
    for label, floor in sessions.items():
        rows.append(
            [
                "floor",
                "/_floor/",
                "yes*" if label == "cached" else "no",
                f"{floor['rps']:.1f}",
                "1.000",
                f"{floor['p50_ms']:.1f}",
                f"{floor['p95_ms']:.1f}",
                f"{floor['p99_ms']:.1f}",
                str(floor["errors"]),
                "0",
            ]
        )
    return rows


def print_table(rows):
    """The rows under HEADERS, in columns as wide as their widest cell (a Chinese character is two wide)."""
    widths = [max(_width(str(row[i])) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def show(row):
        return "  ".join(_cell(value, widths[i], i in RIGHT_ALIGNED) for i, value in enumerate(row))

    print(show(HEADERS))
    print(show(["-" * width for width in widths]))
    for row in rows:
        print(show(row))


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text, width, right=False):
    text = str(text)
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad
