"""Import benchmark: 10,000 story rows with credits from CSV, our importer against django-import-export's.

    make bench-import                      # SQLite and PostgreSQL, 10,000 rows
    make bench-import ROWS=2000            # smaller

For each database it builds a fresh one (regions and bureaus only), then times in separate
processes (so memory is measured per run):

- ours: the bulletin importer, dry run then import (``import_bulletin``: one plan, bulk writes);
- plain: django-import-export's ModelResource, dry run then import, row by row, the way
  the library does it out of the box (stories only: it has no notion of credits).

Prints rows per second, seconds and peak memory for each, and the speed-up.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFECTURES = ["lanzhou", "tianshui", "zhangye", "baiyin", "dingxi", "wuwei", "pingliang", "jiuquan", "longnan"]
BODIES = ["市政协", "县政协", "市政协党组", "县政协常委会"]
ACTIONS = ["召开专题协商会", "开展民主监督视察", "组织委员调研", "召开常委会议", "举办委员履职培训"]
TOPICS = ["乡村产业发展", "城市供水保障", "职业教育", "中药材种植", "黄河流域生态保护", "老旧小区改造", "冷链物流建设"]
SENTENCES = [
    "{date}，{body}围绕{topic}{action}，听取有关部门情况通报，委员们结合调研提出了意见建议。",
    "会议强调，要坚持问题导向，把协商成果转化为推动发展的具体举措，持续做好跟踪问效工作。",
    "调研组先后走访了企业、合作社和社区，详细了解{topic}方面存在的困难和问题。",
    "委员们建议，要加大政策支持力度，完善配套措施，推动{topic}提质增效。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "明华建国立新晓东慧敏春梅文静志强海燕玉兰晓勇"
HEADER = ["reference", "issue", "issue_date", "page", "position", "kicker", "headline", "bureau", "credits", "body"]


def make_rows(count, seed=2026):
    rng = random.Random(seed)
    people = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(300)]
    rows = []
    for number in range(count):
        place = rng.choice(PREFECTURES)
        topic, action = rng.choice(TOPICS), rng.choice(ACTIONS)
        date = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        body = "\n".join(
            sentence.format(date=date, body=rng.choice(BODIES), topic=topic, action=action)
            for sentence in rng.sample(SENTENCES, 3)
        )
        credits = "；".join(f"通讯员 {name}" for name in rng.sample(people, rng.choice([1, 1, 2])))
        rows.append(
            [
                f"bench-{number}",
                "5000",
                "2026-11-20",
                str(1 + number % 8),
                str(number),
                "政协",
                f"{topic}{action}（{number}）",
                place,
                credits,
                body,
            ]
        )
    return rows


def page_text(rows):
    """The rows laid out as a page's text: kicker, headline, dateline with byline, paragraphs cut by columns."""
    chunks = []
    for row in rows:
        paragraphs = row[9].split("\n")
        first = paragraphs[0]
        # Columns cut paragraphs mid-sentence; the reader must join them again.
        cut = len(first) // 2
        chunks += [
            row[5],
            row[6],
            f"本报{row[7]}讯({row[8].split('；')[0]}){first[:cut]}",
            first[cut:],
            *paragraphs[1:],
        ]
    return "\n\n".join(chunks)


def parser_speed(megabytes=1.0):
    sys.path.insert(0, str(ROOT))
    from newsroom.bulletin.pagetext import parse_page

    rows = make_rows(400)
    text = page_text(rows)
    while len(text.encode()) < megabytes * 1024 * 1024:
        text += "\n\n" + page_text(rows)
    size = len(text.encode()) / 1024 / 1024
    started = time.perf_counter()
    reading = parse_page(text, source="bench.txt")
    seconds = time.perf_counter() - started
    print(f"page-text reader: {size:.2f} MB, {len(reading.items)} stories, in {seconds:.2f} s")


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- run inside a child process, with Django set up -----------------------------------------


def prepare():
    from django.core.management import call_command

    from newsroom.models import Bureau, Region

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    for slug in PREFECTURES:
        Bureau.objects.get_or_create(region=Region.objects.get(slug=slug))


def run_ours(data):
    from newsroom.services.imports import Upload, import_bulletin

    uploads = [Upload("stories.csv", data)]
    started = time.perf_counter()
    plan, _ = import_bulletin(uploads, dry_run=True)
    dry = time.perf_counter() - started
    assert not plan.errors, plan.errors[:3]
    started = time.perf_counter()
    plan, batch = import_bulletin(uploads)
    wet = time.perf_counter() - started
    assert batch is not None and batch.created_count == len(plan.planned)
    return dry, wet


def run_plain(data):
    import tablib
    from import_export import fields, resources, widgets

    from newsroom.models import Bureau, Issue, Story

    issue, _ = Issue.objects.get_or_create(number=5000, defaults={"date": "2026-11-20"})

    class PlainStoryResource(resources.ModelResource):
        issue = fields.Field(attribute="issue", column_name="issue", widget=widgets.ForeignKeyWidget(Issue, "number"))
        bureau = fields.Field(
            attribute="bureau", column_name="bureau", widget=widgets.ForeignKeyWidget(Bureau, "region__slug")
        )
        body = fields.Field(attribute="body", column_name="body", widget=widgets.JSONWidget())

        class Meta:
            model = Story
            fields = ("reference", "issue", "page", "position", "kicker", "headline", "bureau", "body")
            import_id_fields = ("reference",)

        def before_import_row(self, row, **kwargs):
            # The body as our model keeps it: paragraphs as JSON.
            row["body"] = json.dumps([{"kind": "paragraph", "text": line} for line in row["body"].split("\n")])

    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv")
    started = time.perf_counter()
    result = PlainStoryResource().import_data(dataset, dry_run=True)
    dry = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    started = time.perf_counter()
    result = PlainStoryResource().import_data(dataset, dry_run=False)
    wet = time.perf_counter() - started
    assert not result.has_errors()
    return dry, wet


def child(variant, rows):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    prepare()
    data = csv_bytes(make_rows(rows))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    dry, wet = (run_ours if variant == "ours" else run_plain)(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"dry": dry, "wet": wet, "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024}))


# --- the parent: fresh databases, one child per run ------------------------------------------


def fresh_database(kind, tag):
    if kind == "sqlite":
        path = Path(f"/tmp/newsroom-bench-import-{tag}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg2

    base = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
    name = f"newsroom_bench_import_{tag}"
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{base}/{name}"


def measure(kind, variant, rows):
    url = fresh_database(kind, variant)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    run = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", variant, "--rows", str(rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"{kind} {variant} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    parser_speed()
    print(f"Importing {args.rows} story rows with credits from CSV (dry run, then import)")
    columns = ["dry run s", "import s", "total s", "rows/s", "peak MB"]
    print(f"{'database':<11} {'importer':<22} " + " ".join(f"{name:>9}" for name in columns))
    report = []
    for kind in args.databases.split(","):
        times = {}
        for variant, label in [("ours", "bulletin importer"), ("plain", "django-import-export")]:
            result = measure(kind, variant, args.rows)
            total = result["dry"] + result["wet"]
            times[variant] = total
            print(
                f"{kind:<11} {label:<22} {result['dry']:>9.2f} {result['wet']:>9.2f} {total:>8.2f} "
                f"{args.rows / total:>8.0f} {result['peak_mb']:>8.0f}"
            )
            report.append({"database": kind, "importer": variant, "rows": args.rows, **result, "total": total})
        print(f"{kind:<11} speed-up: {times['plain'] / times['ours']:.1f}x")
    Path(ROOT / "bench" / "results-import.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
