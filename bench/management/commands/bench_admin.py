"""The benchmark of the editors' admin: ``make bench-admin``, or ``manage.py bench_admin`` under bench.settings.

1. Builds the archive as ``make bench`` does, or reuses it (the same builder, any
   benchmark database; ``newsroom_bench_admin`` by default).
2. Makes an account for each role, and import batches and jobs to list.
3. Requests each admin page as each role through Django's test client, one
   request at a time (``--requests`` of them after two to warm up), and counts
   its queries.
4. Prints a table (page, role, median ms, p99 ms, queries) and writes
   ``bench/results-admin.json``. A page a role may not open is listed as such.
"""

import time

from django.core.management.base import BaseCommand

from bench import admin_pages, report
from bench.management.commands.bench import check_settings, ensure_archive, prepare_database

RESULTS = report.BENCH_DIR / "results-admin.json"
# The targets of issue 22, per page.
MEDIAN_TARGET_MS = 150
P99_TARGET_MS = 300


class Command(BaseCommand):
    help = "Benchmark the admin pages, as each role, on the synthetic archive."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=100_000, help="published stories in the archive")
        parser.add_argument("--rebuild", action="store_true", help="build the archive anew even if it is there")
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page and role")
        parser.add_argument("--only", help="measure only the pages whose name contains this")

    def handle(self, *args, stories, rebuild, requests, only=None, **options):
        check_settings()
        prepare_database()
        ensure_archive(stories, rebuild=rebuild)
        users = admin_pages.accounts()
        admin_pages.desk_records()
        pages = [page for page in admin_pages.choose_pages(users) if not only or only in page.name]
        print(f"\n{len(pages)} admin pages, {requests} requests each per role, one at a time:", flush=True)
        started = time.perf_counter()
        timings = []
        for page in pages:
            for role in admin_pages.ROLES:
                if not page.for_role(role):
                    continue
                timing = admin_pages.measure(page, role, users[role], requests)
                timings.append(timing)
                print("  " + line(timing), flush=True)
        print(f"Measured in {time.perf_counter() - started:.0f} s.\n")
        self.write(stories, timings)

    def write(self, stories, timings):
        measured = [timing for timing in timings if timing.measured]
        slow = [timing for timing in measured if timing.median_ms >= MEDIAN_TARGET_MS or timing.p99_ms >= P99_TARGET_MS]
        report.write_json(
            RESULTS,
            {
                "machine": report.machine(),
                "database": report.database_version(),
                "stories": stories,
                "targets_ms": {"median": MEDIAN_TARGET_MS, "p99": P99_TARGET_MS},
                "pages": [
                    {
                        "page": timing.page.name,
                        "url": timing.page.url,
                        "role": timing.role,
                        "status": timing.status,
                        "median_ms": timing.median_ms,
                        "p99_ms": timing.p99_ms,
                        "queries": timing.queries,
                    }
                    for timing in timings
                ],
            },
        )
        print(f"{report.database_version()}, {stories} published stories; {report.machine()}")
        print("| page | role | median ms | p99 ms | queries |")
        print("|---|---|--:|--:|--:|")
        for timing in timings:
            if timing.measured:
                print(
                    f"| {timing.page.name} | {timing.role} | {timing.median_ms} | {timing.p99_ms} | {timing.queries} |"
                )
            else:
                print(f"| {timing.page.name} | {timing.role} | no access ({timing.status}) | | |")
        print()
        if slow:
            print(f"Over the targets ({MEDIAN_TARGET_MS} ms median, {P99_TARGET_MS} ms p99):")
            for timing in slow:
                print("  " + line(timing))
        else:
            print(f"Every page under {MEDIAN_TARGET_MS} ms median and {P99_TARGET_MS} ms p99.")
        print(f"Written to {RESULTS.relative_to(report.BASE_DIR)}.")


def line(timing):
    if not timing.measured:
        return f"{timing.page.name:<24} {timing.role:<8} no access ({timing.status})"
    return (
        f"{timing.page.name:<24} {timing.role:<8} median {timing.median_ms:7.1f} ms  p99 {timing.p99_ms:7.1f} ms"
        f"  {timing.queries:3d} queries"
    )
