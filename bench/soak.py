"""The soak: the public site under 50 connections for 60 s while the desk publishes and an import runs.

    make soak                                   # or: .venv/bin/python -m bench.soak
    .venv/bin/python -m bench.soak --duration 10 --connections 10     # a quick look

1. A database of its own (``newsroom_soak`` on PostgreSQL, made anew each run) gets the
   regions and a seed of published stories, written through the services.
2. gunicorn serves the site as in production (DEBUG off, collected static files,
   ``--workers``), on 127.0.0.1 only.
3. A load generator in a separate process keeps ``--connections`` keep-alive connections
   busy for ``--duration`` seconds on a mix of public pages (front page, lists, filters,
   stories, regions, issues, feeds, a static file).
4. Meanwhile, in this process, an editor and a chief editor take new stories through the
   workflow (draft, submit, approve, publish) one after another, and an importer brings in
   a batch of stories through ``import_bulletin``, then the same batch again.
5. Then it checks: no 5xx and no failed request; every story the desk published is in the
   database once and its page answers; the import made its stories once and the second
   run changed nothing. It prints p50/p95/p99, the status counts and the checks, and exits
   non-zero if any check failed.

Every request goes to 127.0.0.1; the loops stop at the deadline and at a fixed count.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.load import latency_summary

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://root@127.0.0.1:5432/newsroom_soak"
MAX_PUBLISHES = 2000
IMPORT_ROWS = 60


def production_environment(database_url, static_root):
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SOAK_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        # Plain HTTP on 127.0.0.1, as behind the proxy that terminates TLS.
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(static_root),
        CONN_MAX_AGE="60",
        # Every page rendered from the database: the soak measures the worst case.
        NEWSROOM_PAGE_CACHE=env.get("NEWSROOM_PAGE_CACHE", "0"),
        DJANGO_SETTINGS_MODULE="config.settings",
        # No mail leaves a soak.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


# The load generator (runs in its own process) ---------------------------------------------


async def _request(reader, writer, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: newsroom-soak\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, close


async def _connection(port, paths, deadline, latencies, statuses, errors, timeout):
    reader = writer = None
    rng = random.Random()
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
            start = time.perf_counter()
            status, close = await asyncio.wait_for(_request(reader, writer, path), timeout)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
            if close:
                writer.close()
                writer = None
        except (TimeoutError, OSError, ConnectionError, ValueError, asyncio.IncompleteReadError) as error:
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _drive(port, paths, duration, connections, timeout):
    latencies, statuses, errors = [], {}, {}
    deadline = time.monotonic() + duration
    started = time.monotonic()
    await asyncio.gather(
        *(_connection(port, paths, deadline, latencies, statuses, errors, timeout) for _ in range(connections))
    )
    elapsed = time.monotonic() - started
    return {
        **latency_summary(latencies, elapsed),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "errors": errors,
    }


def load_main(args):
    paths = json.loads(Path(args.paths).read_text())
    result = asyncio.run(_drive(args.port, paths, args.duration, args.connections, args.timeout))
    print(json.dumps(result))


# The soak (this process: the server, the desk, the importer, the checks) -------------------


def ensure_fresh_database(url):
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def seed(count):
    from newsroom.models import Region
    from newsroom.services.regions import load_regions
    from tests import factories

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


def desk_worker(deadline, published, failures):
    """A contributor writes, an editor approves, a chief editor publishes: one story after another."""
    from django.db import close_old_connections

    from newsroom.services import roles
    from newsroom.services.workflow import Action, transition
    from tests import factories

    contributor = factories.staff("soak-contributor", roles.CONTRIBUTOR)
    editor = factories.staff("soak-editor", roles.EDITOR)
    chief = factories.staff("soak-chief", roles.CHIEF_EDITOR)
    number = 0
    while time.monotonic() < deadline and number < MAX_PUBLISHES:
        try:
            story = factories.story(
                headline=f"浸泡测试签发稿{number}", created_by=contributor, region=factories.region("minle")
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
    import datetime

    from django.db import close_old_connections

    from newsroom.services import roles
    from newsroom.services.imports import Upload, import_bulletin
    from tests import factories

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


def public_paths():
    from newsroom.models import Bureau, Story

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed-stories", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=30.0, help="a request slower than this is an error")
    parser.add_argument("--database", default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_only:
        return load_main(args)
    if not args.database.startswith("postgres://root@127.0.0.1"):
        parser.error("the soak runs against PostgreSQL on 127.0.0.1 only")

    scratch = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    env = production_environment(args.database, scratch / "static")
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    print(f"Soak: {args.connections} connections for {args.duration:.0f} s, {args.workers} gunicorn workers")
    ensure_fresh_database(args.database)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    seed(args.seed_stories)
    print(f"  seeded {args.seed_stories} published stories in {time.monotonic() - started:.1f} s")

    from django.db import connection

    from newsroom.models import ImportBatch, Story

    port = free_port()
    log = open(scratch / "gunicorn.log", "w")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-" if os.environ.get("SOAK_ACCESS_LOG") else "/dev/null",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    failures = []
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        paths_file = scratch / "paths.json"
        paths_file.write_text(json.dumps(public_paths()))
        connection.close()

        deadline = time.monotonic() + args.duration
        published, import_results = [], []
        desk = threading.Thread(target=desk_worker, args=(deadline, published, failures))
        importer = threading.Thread(target=import_worker, args=(import_results, failures))
        load = subprocess.Popen(
            [sys.executable, "-m", "bench.soak", "--load-only", "--port", str(port), "--paths", str(paths_file)]
            + ["--duration", str(args.duration), "--connections", str(args.connections)]
            + ["--timeout", str(args.timeout)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        desk.start()
        time.sleep(min(5.0, args.duration / 4))
        importer.start()
        output, _ = load.communicate(timeout=args.duration + 120)
        desk.join(timeout=120)
        importer.join(timeout=120)
        result = json.loads(output.strip().splitlines()[-1])

        # The checks ------------------------------------------------------------------
        checks = []
        server_errors = sum(count for code, count in result["statuses"].items() if code.startswith("5"))
        checks.append(("no 5xx responses", server_errors == 0, f"{server_errors}"))
        failed = sum(result["errors"].values())
        checks.append(("no failed or timed-out requests", failed == 0, json.dumps(result["errors"])))
        checks.append(("desk and importer raised nothing", not failures, "; ".join(failures[:3])))
        mine = Story.objects.filter(headline__startswith="浸泡测试签发稿")
        checks.append(
            (
                "every story the desk published is there, published, once",
                sorted(mine.filter(status="published").values_list("pk", flat=True)) == sorted(published)
                and mine.count() == len(published),
                f"{len(published)} published, {mine.count()} in the database",
            )
        )
        imported = Story.objects.filter(reference__startswith="soak-")
        second = import_results[1] if len(import_results) > 1 else {}
        checks.append(
            (
                "the import made each story once; running it again changed nothing",
                imported.count() == IMPORT_ROWS
                and imported.values("reference").distinct().count() == IMPORT_ROWS
                and second.get("unchanged") == IMPORT_ROWS
                and ImportBatch.objects.count() == 2,
                f"{imported.count()} imported stories, second run {second}",
            )
        )
        total = Story.objects.count()
        expected = args.seed_stories + len(published) + IMPORT_ROWS
        checks.append(("no story lost or doubled", total == expected, f"{total} stories, expected {expected}"))
        missing = []
        for pk in published[-20:]:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/{pk}/", timeout=10) as response:
                    if response.status != 200:
                        missing.append(pk)
            except OSError:
                missing.append(pk)
        checks.append(("the newest published stories' pages answer", not missing, f"missing {missing}"))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    print(
        f"  load: {result['requests']} requests in {result['seconds']} s, {result['rps']} req/s; "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms"
    )
    print(f"  statuses: {result['statuses']}; failed requests: {result['errors'] or 0}")
    print(f"  desk: {len(published)} stories published during the run; import: {import_results}")
    ok = True
    for name, passed, detail in checks:
        ok &= passed
        print(f"  [{'ok' if passed else 'FAILED'}] {name} ({detail})")
    summary = {"result": result, "published": len(published), "imports": import_results, "ok": ok}
    (BASE_DIR / "bench" / "results-soak.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    if not ok:
        print(f"Soak FAILED; server log: {scratch / 'gunicorn.log'}")
        return 1
    print("Soak passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
