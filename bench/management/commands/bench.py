"""The benchmark of the public site: ``make bench``, or ``manage.py bench --stories 100000`` under bench.settings.

1. Builds the archive in the benchmark's database, or reuses it when it already
   holds that many published stories (``--rebuild`` builds it anew).
2. Picks the pages from the archive: a busy prefecture, a story, an issue,
   search words that occur, a deep page.
3. Counts each page's SQL queries through Django's test client, in this
   process with the same settings, and on PostgreSQL writes the plans
   (EXPLAIN ANALYZE, BUFFERS) of each page's slowest queries.
4. Starts gunicorn (2 workers) on 127.0.0.1 twice, once plain and once with
   ``NEWSROOM_PAGE_CACHE=1`` for the "cached" rows, measures the framework's
   floor (``/_floor/``) on each and then every page on one and then the
   other, from a separate load-generator process, at fixed concurrency for a
   fixed time.
5. Prints a table and writes ``bench/results.json`` (the summary),
   ``bench/results-run.json`` (how it was measured) and
   ``bench/results-plans.json`` (the query plans).
"""

import argparse
import json
import os
import time
from dataclasses import asdict

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench import archive, report
from bench.databases import create_database
from bench.load import available_tool, measure_client_ceiling, run_load, wait_until_idle
from bench.pages import choose_pages, count_queries, count_queries_in_child, explain_slowest, profile_pages
from bench.server import PAGE_CACHE_VARIABLE, SERVER_LOG, GunicornServer
from newsroom.content import changed
from newsroom.models import Correspondent, Issue, Page, Photo, Story


class Command(BaseCommand):
    help = "Benchmark the public site on a synthetic archive."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=100_000, help="published stories in the archive")
        parser.add_argument("--rebuild", action="store_true", help="build the archive anew even if it is there")
        parser.add_argument("--duration", type=float, help="seconds of load per URL (10 for big archives, 4 for small)")
        parser.add_argument("--warmup", type=float, help="seconds of load per URL before measuring")
        parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        # gunicorn's default sync worker answers one request at a time and closes the connection after it
        # (the client reconnects, cheap on loopback). gthread keeps connections alive, but a worker keeps
        # every connection it accepted, so 8 keep-alive connections can pile onto one of the two workers.
        parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync", help="gunicorn worker class")
        parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
        parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto", help="load generator")
        parser.add_argument("--count-queries", dest="count_paths", nargs="+", metavar="PATH", help=argparse.SUPPRESS)

    def handle(self, *args, stories, rebuild, count_paths=None, **options):
        if count_paths:
            # The child process that counts queries as a server started with its environment would run them.
            print(json.dumps(count_queries(count_paths)))
            return
        check_settings()
        self.stories = stories
        self.load = {
            "duration": options["duration"] or (10.0 if stories >= 20_000 else 4.0),
            "warmup": options["warmup"] if options["warmup"] is not None else (2.0 if stories >= 20_000 else 1.0),
            "connections": options["connections"],
            "tool": available_tool(options["tool"]),
        }
        self.server = {key: options[key] for key in ("workers", "worker_class", "threads")}

        prepare_database()
        build = ensure_archive(stories, rebuild=rebuild)
        pages = choose_pages(stories)
        profiles, cached_queries = self.profile(pages)
        ceiling = self.measure_load_generator()
        results, floors = self.measure_pages(pages)
        self.write_results(pages, build, ceiling, profiles, cached_queries, results, floors)

    def profile(self, pages):
        """Each page's queries and the plans of the slowest, uncached, here; the cached counts from a child."""
        print(f"\nProfiling {len(pages)} pages (queries per page, plans of the slowest)…", flush=True)
        profiles = profile_pages(pages)
        report.write_json(report.PLANS, explain_slowest(profiles))
        cached_queries = count_queries_in_child([page.request_path for page in pages], {PAGE_CACHE_VARIABLE: "1"})
        connection.close()
        return profiles, cached_queries

    def measure_load_generator(self):
        """How fast the load generator goes on a server that does nothing: its own ceiling."""
        tool, connections, duration = self.load["tool"], self.load["connections"], self.load["duration"]
        print(f"Load generator: {tool}, {connections} connections, {duration:g} s per URL.", flush=True)
        ceiling = measure_client_ceiling(duration=min(duration, 3.0), connections=connections, tool=tool)
        print(f"  its own ceiling on a do-nothing server: {ceiling['rps']:.0f} rps", flush=True)
        return ceiling

    def measure_pages(self, pages):
        """Each page on the plain server and then on the caching one, between two measures of each floor."""
        SERVER_LOG.unlink(missing_ok=True)
        print(
            f"\nTwo servers, gunicorn with {self.server['workers']} {self.server['worker_class']} workers each: "
            f"{PAGE_CACHE_VARIABLE}=0 and {PAGE_CACHE_VARIABLE}=1. Each page is measured on one and then the other, "
            "so that whatever else the machine does at the time weighs on both alike.",
            flush=True,
        )
        with (
            GunicornServer(**self.server, env={PAGE_CACHE_VARIABLE: "0"}) as plain,
            GunicornServer(**self.server, env={PAGE_CACHE_VARIABLE: "1"}) as caching,
        ):
            servers = {False: plain, True: caching}
            floors = {False: [], True: []}
            # The floor before and after the pages, and the mean of the two, so one noisy window weighs half.
            self.measure_floors(servers, floors)
            results = []
            for page in pages:
                for cached, server in servers.items():
                    result = self.measure(server, page.request_path)
                    results.append((page, cached, result))
                    print(
                        f"  {page.name:<26} {'cached' if cached else '':<6} {result['rps']:8.1f} rps"
                        f"  p99 {result['p99_ms']:8.1f} ms  errors {result['errors']}",
                        flush=True,
                    )
            self.measure_floors(servers, floors)
        return results, floors

    def measure_floors(self, servers, floors):
        for cached, server in servers.items():
            floors[cached].append(self.measure(server, "/_floor/"))
            print(f"  floor {'cached' if cached else '':<26} {floors[cached][-1]['rps']:8.1f} rps", flush=True)

    def measure(self, server, path):
        """Warm up, measure, and each time let the server work off what the load left in flight."""
        url = server.url + path
        connections, tool = self.load["connections"], self.load["tool"]
        drained = 0.0
        if warmup := self.load["warmup"]:
            drained += settle(server, run_load(url, duration=warmup, connections=connections, tool=tool), warmup)
        duration = self.load["duration"]
        result = run_load(url, duration=duration, connections=connections, tool=tool)
        # Other work on the machine shows here: the benchmark's own processes load it by about 2-3.
        result["load_average_1m"] = round(os.getloadavg()[0], 2)
        result["drain_s"] = round(drained + settle(server, result, duration), 2)
        return result

    def write_results(self, pages, build, ceiling, profiles, cached_queries, results, floors):
        """Writes the summary and how the run measured, and prints the table."""
        sessions = report.floor_sessions(floors)
        rows = []
        for page, cached, result in results:
            queries = cached_queries[page.request_path] if cached else profiles[page.name]["queries"]
            rows.append((page, cached, result, queries, sessions["cached" if cached else "uncached"]["rps"]))
        summary = report.summarise(self.stories, pages, rows, sessions)
        report.write_json(report.RESULTS, summary)
        details = report.run_details(
            build=build,
            load=self.load,
            ceiling=ceiling,
            server=self.server,
            sessions=sessions,
            rows=rows,
            profiles=profiles,
        )
        report.write_json(report.RUN_DETAILS, details)
        outcomes = {(page.name, cached): result for page, cached, result, _, _ in rows}
        report.print_report(summary, sessions, profiles, outcomes, load=self.load, server=self.server, ceiling=ceiling)


def check_settings():
    if settings.SETTINGS_MODULE != "bench.settings":
        raise CommandError("The benchmark runs under its own settings: DJANGO_SETTINGS_MODULE=bench.settings.")
    if settings.NEWSROOM_PAGE_CACHE:
        raise CommandError(
            f"The benchmark profiles the pages uncached: unset {PAGE_CACHE_VARIABLE} "
            "(each server it starts is given its own)."
        )


def prepare_database():
    """The benchmark's database, made if it is missing and migrated, and the static files the pages need."""
    create_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0, interactive=False)
    # Production serves collected static files (hashed names); pages cannot render without them.
    call_command("collectstatic", verbosity=0, interactive=False)


def ensure_archive(stories, *, rebuild):
    """Reuse the archive when it holds what was asked for, else build it anew; returns what was done."""
    name = connection.settings_dict["NAME"]
    published = Story.objects.published().count()
    reusable = (
        not rebuild
        and published == stories
        and Issue.objects.count() == archive.issues_for(stories)
        and Correspondent.objects.count() == archive.CORRESPONDENTS
        # Archives built before photos had their renditions are built again.
        and not Photo.objects.filter(renditions__isnull=True).exists()
        # And those built before their pages were printed (数字报: page images and zones).
        and not Page.objects.filter(images__isnull=True).exists()
    )
    if reusable:
        print(f"Reusing the archive of {published} published stories in {name}.")
        return {"reused": True, "stories": published}
    if Story.objects.exists() and "bench" not in str(name):
        raise SystemExit(
            f"{name} holds stories and is not a benchmark database: the benchmark empties the tables "
            "it builds, so point DATABASE_URL at one whose name has 'bench' in it."
        )
    print(f"Building an archive of {stories} published stories in {name}…", flush=True)
    started = time.perf_counter()
    archive.clear_archive()
    built = archive.build_archive(stories, progress=lambda message: print(f"  {message}", flush=True))
    write_seconds = time.perf_counter() - started
    archive.analyze()
    pages_changed()
    total = time.perf_counter() - started
    print(f"  built in {write_seconds:.1f} s, {total:.1f} s with ANALYZE", flush=True)
    return {"reused": False, **asdict(built), "seconds_with_analyze": round(total, 2)}


def pages_changed():
    """Tell the site's page cache that everything changed (a shared Redis outlives runs)."""
    with transaction.atomic():
        changed()


def settle(server, result, seconds):
    """Wait until the server is idle again, and about one request's service time more; returns the seconds."""
    # One request's service time: workers / throughput, or the whole window when nothing finished.
    service = server.workers / result["rps"] if result["rps"] else seconds
    return wait_until_idle(server.url, service_seconds=min(service, 15.0))
