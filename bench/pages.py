"""The pages the benchmark measures, picked from the archive, and the queries each one runs."""

import json
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.archive import SEARCH_TWO_WORDS, SEARCH_WORD_2, SEARCH_WORD_4
from bench.report import database_version
from newsroom.models import Issue, Region, Story

PER_PAGE = 20
SLOW_QUERIES_PER_PAGE = 2


@dataclass
class BenchPage:
    name: str
    url: str  # as a person reads it, Chinese and all

    @property
    def request_path(self):
        """The URL as it goes on the wire: percent-encoded."""
        return quote(self.url, safe="/?&=:")


def choose_pages(stories):
    """The benchmark's URLs, picked from what the archive holds."""
    busiest = busiest_prefecture()
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
    # A correspondent's name, as a reader looks for their stories: the one credited on the story above.
    name = story.credits.values_list("correspondent__name", flat=True).first() or ""
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
        BenchPage("search_two_words", f"/articles/?q={SEARCH_TWO_WORDS}"),
        BenchPage("search_name", f"/articles/?q={name}"),
        BenchPage("story", story.get_absolute_url()),
        BenchPage("issue", issue.get_absolute_url()),
        BenchPage("printed_page", f"{issue.get_absolute_url()}pages/1/"),
        BenchPage("deep_page", f"/articles/?page={deep}"),
        BenchPage("region_feed", f"/feeds/regions/{busiest}/"),
    ]


def busiest_prefecture():
    """The slug of the prefecture with the most published stories in its counties and itself."""
    regions = {region.pk: region for region in Region.objects.all()}
    per_prefecture = {}
    for row in Story.objects.published().values("region").annotate(n=Count("pk")):
        region = regions.get(row["region"])
        prefecture = region.prefecture if region else None
        if prefecture is not None:
            per_prefecture[prefecture.slug] = per_prefecture.get(prefecture.slug, 0) + row["n"]
    return max(per_prefecture, key=per_prefecture.get)


def _client():
    # The bench's ALLOWED_HOSTS, as the server sees them; not "testserver".
    return Client(SERVER_NAME="127.0.0.1")


def count_queries(paths):
    """{path: queries} for the second of two requests to each path (a cache, when there is one, is warm)."""
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
    command = [sys.executable, "manage.py", "bench", "--count-queries", *paths]
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **env}
    completed = subprocess.run(
        command, env=child_env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"Counting queries with {env} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def profile_pages(pages):
    """{name: {queries, status, bytes, render_ms, slowest: [(ms, sql)]}} from one warm request each."""
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
