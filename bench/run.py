"""The benchmark: ``make bench`` (or ``python -m bench.run --stories 100000``).

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
import http.client
import json
import math
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
RUN_DETAILS = BENCH_DIR / "results-run.json"
# JSON, so that .gitignore's bench/results*.json keeps the plans out of commits too.
PLANS = BENCH_DIR / "results-plans.json"
SERVER_LOG = Path(tempfile.gettempdir()) / "newsroom-bench-server.log"
PAGE_CACHE_VARIABLE = "NEWSROOM_PAGE_CACHE"
SLOW_QUERIES_PER_PAGE = 2
PER_PAGE = 20


@dataclass
class BenchPage:
    name: str
    url: str  # as a person reads it, Chinese and all

    @property
    def request_path(self):
        """The URL as it goes on the wire: percent-encoded."""
        return quote(self.url, safe="/?&=:")


def main(argv=None):
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if args.count_queries:
        _setup_django()
        print(json.dumps(count_queries(args.count_queries)))
        return
    # Uncached unless said otherwise: this process profiles the pages' queries, and the plain server
    # inherits it. The site caches pages by default, so the variable is set either way.
    os.environ[PAGE_CACHE_VARIABLE] = "0"

    from django.conf import settings

    # Reading the settings runs bench.settings, which completes the environment
    # (DEBUG off, one secret key) that the servers started below inherit.
    database = settings.DATABASES["default"]
    ensure_database(database)
    _setup_django()

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # Production serves collected static files (hashed names); pages cannot render without them.
    call_command("collectstatic", verbosity=0, interactive=False)
    build = ensure_archive(args.stories, rebuild=args.rebuild)
    pages = choose_pages(args.stories)
    duration = args.duration or (10.0 if args.stories >= 20_000 else 4.0)
    warmup = args.warmup if args.warmup is not None else (2.0 if args.stories >= 20_000 else 1.0)

    print(f"\nProfiling {len(pages)} pages (queries per page, plans of the slowest)…", flush=True)
    profiles = profile_pages(pages)
    plans = explain_slowest(profiles)
    PLANS.write_text(json.dumps(plans, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    cached_queries = count_queries_in_child([page.request_path for page in pages], {PAGE_CACHE_VARIABLE: "1"})

    from django.db import connection

    connection.close()

    from bench.load import available_tool, measure_client_ceiling

    tool = available_tool(args.tool)
    print(f"Load generator: {tool}, {args.connections} connections, {duration:g} s per URL.", flush=True)
    ceiling = measure_client_ceiling(duration=min(duration, 3.0), connections=args.connections, tool=tool)
    print(f"  its own ceiling on a do-nothing server: {ceiling['rps']:.0f} rps", flush=True)

    SERVER_LOG.unlink(missing_ok=True)
    sessions = {}
    rows = []
    load = {"duration": duration, "warmup": warmup, "connections": args.connections, "tool": tool}
    print(
        f"\nTwo servers, gunicorn with {args.workers} {args.worker_class} workers each: {PAGE_CACHE_VARIABLE}=0 and "
        f"{PAGE_CACHE_VARIABLE}=1. Each page is measured on one and then the other, so that whatever else the "
        "machine does at the time weighs on both alike.",
        flush=True,
    )
    with (
        GunicornServer(args.workers, args.worker_class, args.threads, {PAGE_CACHE_VARIABLE: "0"}) as plain,
        GunicornServer(args.workers, args.worker_class, args.threads, {PAGE_CACHE_VARIABLE: "1"}) as caching,
    ):
        servers = {False: plain, True: caching}
        floors = {False: [], True: []}

        def measure_floors():
            for cached, server in servers.items():
                floors[cached].append(measure(server, "/_floor/", **load))
                print(f"  floor {'cached' if cached else '':<26} {floors[cached][-1]['rps']:8.1f} rps", flush=True)

        # The floor before and after the pages, and the mean of the two, so one noisy window weighs half.
        measure_floors()
        results = []
        for page in pages:
            for cached, server in servers.items():
                result = measure(server, page.request_path, **load)
                results.append((page, cached, result))
                print(
                    f"  {page.name:<26} {'cached' if cached else '':<6} {result['rps']:8.1f} rps"
                    f"  p99 {result['p99_ms']:8.1f} ms  errors {result['errors']}",
                    flush=True,
                )
        measure_floors()
    for cached, label in ((False, "uncached"), (True, "cached")):
        before, after = floors[cached]
        mean = round((before["rps"] + after["rps"]) / 2, 1)
        sessions[label] = {**before, "rps": mean, "before": before, "after": after}
    for page, cached, result in results:
        queries = cached_queries[page.request_path] if cached else profiles[page.name]["queries"]
        rows.append((page, cached, result, queries, sessions["cached" if cached else "uncached"]["rps"]))

    floor_rps = sessions["uncached"]["rps"]
    summary = {
        "machine": machine(),
        "database": database_version(),
        "stories": args.stories,
        "floor_rps": floor_rps,
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
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    details = {
        "archive": build,
        "load": {
            "tool": tool,
            "connections": args.connections,
            "duration_s": duration,
            "warmup_s": warmup,
            "client_ceiling": ceiling,
        },
        "server": {
            "command": "gunicorn config.wsgi:application",
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
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
    RUN_DETAILS.write_text(json.dumps(details, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    outcomes = {(page.name, cached): result for page, cached, result, _, _ in rows}
    print_report(summary, sessions, profiles, outcomes, tool, args, duration, ceiling)


def measure(server, path, *, duration, warmup, connections, tool):
    """Warm up, measure, and each time let the server work off what the load left in flight."""
    from bench.load import run_load, wait_until_idle

    def settle(result, seconds):
        # About one request's service time: workers / throughput, or the whole window when nothing finished.
        service = server.workers / result["rps"] if result["rps"] else seconds
        return wait_until_idle(server.url, service_seconds=min(service, 15.0))

    url = server.url + path
    drained = 0.0
    if warmup:
        drained += settle(run_load(url, duration=warmup, connections=connections, tool=tool), warmup)
    result = run_load(url, duration=duration, connections=connections, tool=tool)
    # Other work on the machine shows here: the benchmark's own processes load it by about 2-3.
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    result["drain_s"] = round(drained + settle(result, duration), 2)
    return result


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark the public site on a synthetic archive.")
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
    parser.add_argument("--count-queries", nargs="+", metavar="PATH", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _setup_django():
    import django

    django.setup()


# The database and the archive


def ensure_database(database):
    """Create the PostgreSQL database if it is missing (SQLite makes its file by itself)."""
    if "postgresql" not in database["ENGINE"]:
        return
    import psycopg2
    from psycopg2 import sql

    options = {key.lower(): database[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if database.get(key)}
    options["dbname"] = "postgres"
    # Not "with connect()": that opens a transaction, and CREATE DATABASE refuses to run in one.
    admin = psycopg2.connect(**options)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
            if cursor.fetchone() is None:
                print(f"Creating database {database['NAME']}", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    finally:
        admin.close()


def ensure_archive(stories, *, rebuild):
    from django.db import connection

    from bench import archive
    from newsroom.models import Correspondent, Issue, Photo, Story

    published = Story.objects.published().count()
    reusable = (
        not rebuild
        and published == stories
        and Issue.objects.count() == archive.issues_for(stories)
        and Correspondent.objects.count() == archive.CORRESPONDENTS
        # Archives built before photos had their renditions are built again.
        and not Photo.objects.filter(renditions__isnull=True).exists()
    )
    if reusable:
        print(f"Reusing the archive of {published} published stories in {connection.settings_dict['NAME']}.")
        return {"reused": True, "stories": published}
    if Story.objects.exists() and "bench" not in str(connection.settings_dict["NAME"]):
        raise SystemExit(
            f"{connection.settings_dict['NAME']} holds stories and is not a benchmark database: "
            "the benchmark empties the tables it builds, so point DATABASE_URL at one whose name has 'bench' in it."
        )
    print(f"Building an archive of {stories} published stories in {connection.settings_dict['NAME']}…", flush=True)
    started = time.perf_counter()
    archive.clear_archive()
    built = archive.build_archive(stories, progress=lambda message: print(f"  {message}", flush=True))
    write_seconds = time.perf_counter() - started
    archive.analyze()
    _pages_changed()
    total = time.perf_counter() - started
    print(f"  built in {write_seconds:.1f} s, {total:.1f} s with ANALYZE", flush=True)
    return {"reused": False, **asdict(built), "seconds_with_analyze": round(total, 2)}


def _pages_changed():
    """Tell the site's page cache, where it keeps one, that everything changed (a shared Redis outlives runs)."""
    from django.db import transaction

    try:
        from newsroom import cache as page_cache
    except ImportError:
        return
    with transaction.atomic():
        page_cache.changed()


def choose_pages(stories):
    """The benchmark's URLs, picked from what the archive holds."""
    from django.db.models import Count
    from django.utils import timezone

    from bench.archive import SEARCH_WORD_2, SEARCH_WORD_4
    from newsroom.models import Issue, Region, Story

    regions = {region.pk: region for region in Region.objects.all()}
    per_prefecture = {}
    for row in Story.objects.published().values("region").annotate(n=Count("pk")):
        region = regions.get(row["region"])
        prefecture = region.prefecture if region else None
        if prefecture is not None:
            per_prefecture[prefecture.slug] = per_prefecture.get(prefecture.slug, 0) + row["n"]
    busiest = max(per_prefecture, key=per_prefecture.get)
    prefecture = Region.objects.get(slug=busiest)
    newest = timezone.localtime(Story.objects.published().newest_first().values_list("published_at", flat=True)[0])
    # The last year or so: from the first of the month a year before the newest story.
    since = newest.date().replace(day=1)
    since = since.replace(year=since.year - 1)
    story = (
        Story.objects.published()
        .in_region(prefecture)
        .filter(kind=Story.Kind.ARTICLE, issue__isnull=False)
        .newest_first()
        .first()
    )
    issue = Issue.objects.public().order_by("-number").first()
    pages_in_list = max(1, math.ceil(stories / PER_PAGE))
    deep = 2000 if pages_in_list >= 2000 else max(2, pages_in_list * 2 // 5)
    region_filter = urlencode({"region": busiest})
    narrow = urlencode({"region": busiest, "date_after": since.isoformat(), "kind": "photo"})
    return [
        BenchPage("home", "/"),
        BenchPage("articles", "/articles/"),
        BenchPage("articles_region", f"/articles/?{region_filter}"),
        BenchPage("articles_region_date_photo", f"/articles/?{narrow}"),
        BenchPage("search_2_chars", f"/articles/?q={SEARCH_WORD_2}"),
        BenchPage("search_4_chars", f"/articles/?q={SEARCH_WORD_4}"),
        BenchPage("story", story.get_absolute_url()),
        BenchPage("issue", issue.get_absolute_url()),
        BenchPage("deep_page", f"/articles/?page={deep}"),
        BenchPage("region_feed", f"/feeds/regions/{busiest}/"),
    ]


# Queries per page, and their plans


def _client():
    from django.test import Client

    # The bench's ALLOWED_HOSTS, as the server sees them; not "testserver".
    return Client(SERVER_NAME="127.0.0.1")


def count_queries(paths):
    """{path: queries} for the second of two requests to each path (a cache, when there is one, is warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    counts = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts[path] = len(captured)
    return counts


def count_queries_in_child(paths, env):
    """The same count in a fresh process with ``env`` added: how a server started with it would query."""
    command = [sys.executable, "-m", "bench.run", "--count-queries", *paths]
    completed = subprocess.run(
        command, env={**os.environ, **env}, cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"Counting queries with {env} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def profile_pages(pages):
    """{name: {queries, status, bytes, render_ms, slowest: [(ms, sql)]}} from one warm request each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    profiles = {}
    for page in pages:
        client.get(page.request_path)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.request_path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{page.url} answered {response.status_code}; the benchmark measures pages that work.")
        timed = sorted(
            ((float(query["time"]) * 1000, query["sql"]) for query in captured.captured_queries),
            key=lambda item: item[0],
            reverse=True,
        )
        profiles[page.name] = {
            "url": page.url,
            "queries": len(captured),
            "bytes": len(response.content),
            "render_ms": round(elapsed, 1),
            "sql_ms": round(sum(ms for ms, _ in timed), 1),
            "slowest": timed[:SLOW_QUERIES_PER_PAGE],
        }
    return profiles


def explain_slowest(profiles):
    """Plans of each page's slowest queries: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, QUERY PLAN on SQLite."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    report = {"database": database_version(), "when": time.strftime("%Y-%m-%d %H:%M"), "explain": prefix, "pages": []}
    for name, profile in profiles.items():
        entry = {key: profile[key] for key in ("url", "queries", "sql_ms", "render_ms")}
        entry = {"name": name, **entry, "slowest": []}
        profile["plans"] = []
        for ms, query in profile["slowest"]:
            if not query.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(prefix + query)
                rows = cursor.fetchall()
            plan = [row[0] for row in rows] if postgres else [str(row[-1]) for row in rows]
            profile["plans"].append({"ms": round(ms, 2), "summary": summarise_plan(plan)})
            entry["slowest"].append({"ms": round(ms, 2), "sql": query, "plan": plan})
        report["pages"].append(entry)
    return report


def summarise_plan(plan):
    """The lines of a plan a reader looks for first: scans, sorts, and the time."""
    keep = re.compile(r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Sort Method|Filter:|SCAN|SEARCH)")
    lines = [line.strip().lstrip("->").strip() for line in plan if keep.search(line)]
    lines = [re.sub(r"\s+\(cost=[^)]*\)", "", line) for line in lines]
    total = [line.strip() for line in plan if line.startswith("Execution Time")]
    # What the big table costs comes first: that is where the time goes.
    stories = [line for line in lines if "newsroom_story" in line and "Scan" in line or line.startswith("Filter:")]
    return (total + stories + [line for line in lines if line not in stories])[:8]


# The server


class GunicornServer:
    """gunicorn on a free port of 127.0.0.1, started and stopped by the benchmark itself."""

    def __init__(self, workers, worker_class, threads, env):
        from bench.load import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **env}
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--worker-class={self.worker_class}",
            f"--threads={self.threads}",
            "--keep-alive=5",
            "--graceful-timeout=5",
            "--timeout=60",
            "--log-level=warning",
        ]
        self.log = open(SERVER_LOG, "a", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self.log.write(f"\n--- {time.strftime('%H:%M:%S')} {' '.join(command[2:])}\n")
        self.log.flush()
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=self.log)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {SERVER_LOG}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/_floor/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {seconds} s; see {SERVER_LOG}")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        return False


# What the run says


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
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text, width, right=False):
    text = str(text)
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def print_report(summary, sessions, profiles, outcomes, tool, args, duration, ceiling):
    headers = ["name", "url", "cached", "rps", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors", "queries"]

    def latency(page, key):
        bound = key in outcomes[(page["name"], page["cached"])].get("lower_bounds", [])
        return ("≥" if bound else "") + f"{page[key]:.1f}"

    lines = [
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
        lines.append(
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
    widths = [max(_width(str(row[i])) for row in [headers, *lines]) for i in range(len(headers))]
    right = {3, 4, 5, 6, 7, 8, 9}

    def show(row):
        return "  ".join(_cell(value, widths[i], i in right) for i, value in enumerate(row))

    print()
    print(f"{summary['stories']} stories · {summary['database']} · {summary['machine']}")
    print(
        f"gunicorn {args.workers} {args.worker_class} workers · {tool}, {args.connections} connections, "
        f"{duration:g} s per URL · load generator ceiling {ceiling['rps']:.0f} rps · "
        f"floor {summary['floor_rps']:.1f} rps"
    )
    floor = sessions["uncached"]
    print(
        f"the load generator itself used {floor['client_cpu_s'] / floor['seconds']:.2f} of a core while driving the "
        f"floor ({floor['requests']} requests); on pages it uses far less"
    )
    print()
    print(show(headers))
    print(show(["-" * width for width in widths]))
    for row in lines:
        print(show(row))
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
        print(f"\nTimed out (no answer within the {duration:g} s window): {', '.join(slow)}.")
    written = ", ".join(str(path.relative_to(BASE_DIR)) for path in (RESULTS, RUN_DETAILS, PLANS))
    print(f"\nWrote {written}")


if __name__ == "__main__":
    main()
