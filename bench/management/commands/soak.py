"""The soak: the public site under 50 connections for 60 s while the desk publishes and an import runs.

    make soak                               # 60 s, 50 connections, on newsroom_soak (or SOAK_DATABASE_URL)
    make soak DURATION=10 CONNECTIONS=10    # a quick look

1. A database of its own (``newsroom_soak`` on PostgreSQL, made anew each run) gets the
   regions and a seed of published stories, written through the services.
2. gunicorn serves the site as in production (``bench.settings``: DEBUG off, collected
   static files, ``--workers``), on 127.0.0.1 only.
3. A load generator in a separate process (``bench/soak_load.py``) keeps ``--connections``
   keep-alive connections busy for ``--duration`` seconds on a mix of public pages (front
   page, lists, filters, stories, regions, issues, feeds, a static file); a third of the
   requests carry a random parameter no page reads, as shared links and crawlers send them.
4. Meanwhile, in this process, an editor and a chief editor take new stories through the
   workflow (draft, submit, approve, publish) one after another, and an importer brings in
   a batch of stories through ``import_bulletin``, then the same batch again.
5. Then it checks: no 5xx and no failed request; every story the desk published is in the
   database once and its page answers; the import made its stories once and the second
   run changed nothing. It prints p50/p95/p99, the status counts and the checks, and exits
   non-zero if any check failed.

Every request goes to 127.0.0.1; the loops stop at the deadline and at a fixed count.
"""

import datetime
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from bench.databases import recreate_database
from bench.load import free_port
from newsroom.models import Bureau, ImportBatch, Region, Story
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.regions import load_regions
from newsroom.services.workflow import Action, transition
from tests import factories

MAX_PUBLISHES = 2000
IMPORT_ROWS = 60
DESK_HEADLINE = "浸泡测试签发稿"


@dataclass
class SoakRun:
    """What happened during the load: the load generator's result and what the desk and the importer did."""

    result: dict = field(default_factory=dict)
    published: list = field(default_factory=list)
    imports: list = field(default_factory=list)
    failures: list = field(default_factory=list)


class Command(BaseCommand):
    help = "The public site under load while the desk publishes and an import runs; checks nothing was lost."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=60.0)
        parser.add_argument("--connections", type=int, default=50)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--seed-stories", type=int, default=300)
        parser.add_argument("--timeout", type=float, default=30.0, help="a request slower than this is an error")

    def handle(self, *args, duration, connections, workers, seed_stories, timeout, **options):
        check_settings()
        scratch = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
        print(f"Soak: {connections} connections for {duration:.0f} s, {workers} gunicorn workers")
        prepare(seed_stories)
        with gunicorn(workers, scratch / "gunicorn.log") as port:
            paths_file = scratch / "paths.json"
            paths_file.write_text(json.dumps(public_paths()))
            connection.close()
            run = drive(port, paths_file, duration=duration, connections=connections, timeout=timeout)
            checks = check(run, port, seed_stories)
        if not report(run, checks):
            print(f"Soak FAILED; server log: {scratch / 'gunicorn.log'}")
            sys.exit(1)
        print("Soak passed.")


def check_settings():
    database = settings.DATABASES["default"]
    if settings.SETTINGS_MODULE != "bench.settings":
        raise CommandError("The soak runs under DJANGO_SETTINGS_MODULE=bench.settings.")
    local_postgres = database["ENGINE"] == "django.db.backends.postgresql" and database["HOST"] == "127.0.0.1"
    if not local_postgres or "soak" not in database["NAME"]:
        raise CommandError(
            "The soak runs against PostgreSQL on 127.0.0.1 only, in a database of its own that it drops and "
            "makes anew, named with 'soak' (DATABASE_URL=postgres://root@127.0.0.1:5432/newsroom_soak)."
        )


def prepare(seed_stories):
    """A fresh database, migrated and seeded, and the static files collected."""
    recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    seed(seed_stories)
    print(f"  seeded {seed_stories} published stories in {time.monotonic() - started:.1f} s")


def seed(count):
    load_regions()
    counties = list(Region.objects.filter(level="county").order_by("pk")[:30])
    issue = factories.issue(number=2000)
    for number in range(count):
        factories.published_story(
            headline=f"种子稿件{number}：市政协召开常委会议",
            region=counties[number % len(counties)],
            bureau=factories.bureau(counties[number % len(counties)].slug),
            issue=issue,
            page=1 + number % 4,
            paragraphs=(f"11月{1 + number % 28}日，政协委员调研第{number}项工作。",),
        )


def public_paths():
    pks = list(Story.objects.published().values_list("pk", flat=True)[:200])
    paths = [
        "/",
        "/articles/",
        "/articles/?page=2",
        "/articles/?page=5",
        "/articles/?kind=photo",
        "/articles/?region=zhangye",
        "/articles/?q=%E6%94%BF%E5%8D%8F",
        "/articles/?date_after=2026-01-01&date_before=2027-01-01",
        "/regions/",
        "/regions/zhangye/",
        "/regions/minle/",
        f"/bureaus/{Bureau.objects.with_region().first().region.slug}/",
        "/issues/",
        "/issues/2000/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/static/css/site.css",
    ]
    paths += [f"/articles/{pk}/" for pk in random.Random(1).sample(pks, min(len(pks), 40))]
    return paths


@contextmanager
def gunicorn(workers, log_path):
    """gunicorn serving the site on a free port of 127.0.0.1 until the block ends; yields the port."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)]
    command += ["--access-logfile", "-" if os.environ.get("SOAK_ACCESS_LOG") else "/dev/null"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{port}/")
            yield port
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {seconds} s")


def drive(port, paths_file, *, duration, connections, timeout):
    """The load generator for ``duration`` seconds, the desk and, a little later, the importer alongside it."""
    run = SoakRun()
    deadline = time.monotonic() + duration
    desk = threading.Thread(target=desk_worker, args=(deadline, run.published, run.failures))
    importer = threading.Thread(target=import_worker, args=(run.imports, run.failures))
    command = [sys.executable, "-m", "bench.soak_load", "--port", str(port), "--paths", str(paths_file)]
    command += ["--duration", str(duration), "--connections", str(connections), "--timeout", str(timeout)]
    # A third of the requests carry a parameter no page reads (?utm_source=…): the cache must not split on them.
    command += ["--junk", "0.33"]
    load = subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)
    desk.start()
    time.sleep(min(5.0, duration / 4))
    importer.start()
    output, _ = load.communicate(timeout=duration + 120)
    desk.join(timeout=120)
    importer.join(timeout=120)
    run.result = json.loads(output.strip().splitlines()[-1])
    return run


def desk_worker(deadline, published, failures):
    """A contributor writes, an editor approves, a chief editor publishes: one story after another."""
    contributor = factories.staff("soak-contributor", roles.CONTRIBUTOR)
    editor = factories.staff("soak-editor", roles.EDITOR)
    chief = factories.staff("soak-chief", roles.CHIEF_EDITOR)
    number = 0
    while time.monotonic() < deadline and number < MAX_PUBLISHES:
        try:
            story = factories.story(
                headline=f"{DESK_HEADLINE}{number}", created_by=contributor, region=factories.region("minle")
            )
            transition(story, Action.SUBMIT, actor=contributor)
            transition(story, Action.APPROVE, actor=editor)
            transition(story, Action.PUBLISH, actor=chief)
            published.append(story.pk)
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            failures.append(f"publish {number}: {error!r}")
        number += 1
        time.sleep(0.05)
    close_old_connections()


def import_worker(results, failures):
    """An importer brings a batch in, then the same batch again (which must change nothing)."""
    importer = factories.staff("soak-importer", roles.IMPORTER)
    factories.bureau("zhangye")
    lines = ["reference,page,position,kind,headline,bureau,credits,body"]
    names = ["王立新", "李文华", "张建国", "赵一鸣", "马晓兰", "周文华", "孙晓东"]
    for row in range(IMPORT_ROWS):
        lines.append(
            f"soak-{row},{1 + row % 4},{row},article,导入稿件{row},zhangye,通讯员 {names[row % 7]},正文{row}。"
        )
    data = ("\n".join(lines) + "\n").encode()
    for attempt in range(2):
        try:
            plan, batch = import_bulletin(
                [Upload("soak.csv", data)],
                actor=importer,
                issue_number=2001,
                issue_date=datetime.date(2026, 11, 25),
            )
            if plan.errors:
                failures.append(f"import {attempt}: {plan.errors[:3]}")
            results.append(plan.summary())
        except Exception as error:  # noqa: BLE001
            failures.append(f"import {attempt}: {error!r}")
        time.sleep(5)
    close_old_connections()


def check(run, port, seed_stories):
    """[(what, passed, detail)]: the responses, the desk's stories, the import, the count, the newest pages."""
    statuses, errors = run.result["statuses"], run.result["errors"]
    server_errors = sum(count for code, count in statuses.items() if code.startswith("5"))
    mine = Story.objects.filter(headline__startswith=DESK_HEADLINE)
    imported = Story.objects.filter(reference__startswith="soak-")
    second = run.imports[1] if len(run.imports) > 1 else {}
    total = Story.objects.count()
    expected = seed_stories + len(run.published) + IMPORT_ROWS
    missing = missing_pages(port, run.published[-20:])
    return [
        ("no 5xx responses", server_errors == 0, f"{server_errors}"),
        ("no failed or timed-out requests", sum(errors.values()) == 0, json.dumps(errors)),
        ("desk and importer raised nothing", not run.failures, "; ".join(run.failures[:3])),
        (
            "every story the desk published is there, published, once",
            sorted(mine.filter(status=Story.Status.PUBLISHED).values_list("pk", flat=True)) == sorted(run.published)
            and mine.count() == len(run.published),
            f"{len(run.published)} published, {mine.count()} in the database",
        ),
        (
            "the import made each story once; running it again changed nothing",
            imported.count() == IMPORT_ROWS
            and imported.values("reference").distinct().count() == IMPORT_ROWS
            and second.get("unchanged") == IMPORT_ROWS
            and ImportBatch.objects.count() == 2,
            f"{imported.count()} imported stories, second run {second}",
        ),
        ("no story lost or doubled", total == expected, f"{total} stories, expected {expected}"),
        ("the newest published stories' pages answer", not missing, f"missing {missing}"),
    ]


def missing_pages(port, pks):
    """The stories among ``pks`` whose pages do not answer 200."""
    missing = []
    for pk in pks:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/{pk}/", timeout=10) as response:
                if response.status != 200:
                    missing.append(pk)
        except OSError:
            missing.append(pk)
    return missing


def report(run, checks):
    """Prints the load's figures and the checks, writes ``bench/results-soak.json``; True if every check passed."""
    result = run.result
    print(
        f"  load: {result['requests']} requests in {result['seconds']} s, {result['rps']} req/s; "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms"
    )
    print(f"  statuses: {result['statuses']}; failed requests: {result['errors'] or 0}")
    print(f"  desk: {len(run.published)} stories published during the run; import: {run.imports}")
    ok = True
    for name, passed, detail in checks:
        ok &= passed
        print(f"  [{'ok' if passed else 'FAILED'}] {name} ({detail})")
    summary = {"result": result, "stories_published": len(run.published), "imports": run.imports, "ok": ok}
    (settings.BASE_DIR / "bench" / "results-soak.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return ok
