"""Import benchmark: 10,000 story rows with credits from CSV, our importer against django-import-export's.

    make bench-import                      # SQLite and PostgreSQL, 10,000 rows
    make bench-import ROWS=2000            # smaller

For each database it builds a fresh one (regions and bureaus only), then times
each importer (``bench/imports.py``) in a process of its own, so that memory is
measured per run: ``manage.py bench_import_child ours`` under
``bench.import_settings``, with ``DEBUG=true`` and the fresh database's
``DATABASE_URL``.

Prints rows per second, seconds and peak memory for each, and the speed-up; for ours, the
seconds of undoing the import, an import of half as many rows, and an update of a tenth of them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.imports import IMPORTERS, parser_speed

RESULTS = settings.BASE_DIR / "bench" / "results-import.json"
COLUMNS = ["dry run s", "import s", "total s", "rows/s", "peak MB"]


class Command(BaseCommand):
    help = "Time the bulletin importer against django-import-export's plain import, on SQLite and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="story rows to import")
        parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")

    def handle(self, *args, rows, databases, **options):
        if settings.SETTINGS_MODULE != "bench.import_settings":
            raise CommandError("The import benchmark runs under DJANGO_SETTINGS_MODULE=bench.import_settings.")
        parser_speed()
        print(f"Importing {rows} story rows with credits from CSV (dry run, then import)")
        print(f"{'database':<11} {'importer':<22} " + " ".join(f"{name:>9}" for name in COLUMNS))
        report = []
        for kind in databases.split(","):
            report += compare(kind, rows)
        RESULTS.write_text(json.dumps(report, indent=1))


def compare(kind, rows):
    """Both importers on one kind of database; prints a line for each and the speed-up."""
    report, times = [], {}
    for variant, label in IMPORTERS:
        result = measure(kind, variant, rows)
        total = result["dry"] + result["wet"]
        times[variant] = total
        print(
            f"{kind:<11} {label:<22} {result['dry']:>9.2f} {result['wet']:>9.2f} {total:>8.2f} "
            f"{rows / total:>8.0f} {result['peak_mb']:>8.0f}"
        )
        report.append({"database": kind, "importer": variant, "rows": rows, **result, "total": total})
        if "undo_created" in result:
            print(
                f"{kind:<11} {label:<22} undo: {rows} created in {result['undo_created']:.2f} s, "
                f"{result['half_rows']} created in {result['undo_half']:.2f} s, "
                f"{result['updated_rows']} updated (restored) in {result['undo_updated']:.2f} s"
            )
    print(f"{kind:<11} speed-up: {times['plain'] / times['ours']:.1f}x")
    return report


def measure(kind, variant, rows):
    """One importer's run in a child process on a fresh database: its seconds and memory."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.import_settings",
        "DATABASE_URL": fresh_database(kind, variant),
        "DEBUG": "true",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "bench_import_child", variant, "--rows", str(rows)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"{kind} {variant} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def fresh_database(kind, tag):
    """The URL of an empty database of that kind, made anew."""
    if kind == "sqlite":
        path = Path(f"/tmp/newsroom-bench-import-{tag}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
    # BENCH_IMPORT_DATABASE names them apart when several checkouts share one server.
    name = f"{os.environ.get('BENCH_IMPORT_DATABASE', 'newsroom_bench_import')}_{tag}"
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{base}/{name}"
