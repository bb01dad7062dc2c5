"""The import benchmark's story rows, and the two importers it times (``make bench-import``).

- ours: the bulletin importer, dry run then import (``import_bulletin``: one plan, bulk writes),
  then the undo of an update of half the rows and of the import itself (``undo_batch``);
- plain: django-import-export's ModelResource, dry run then import, row by row, the way
  the library does it out of the box (stories only: it has no notion of credits).
"""

import csv
import io
import json
import random
import time

import tablib
from django.core.management import call_command
from import_export import fields, resources, widgets

from newsroom.bulletin.pagetext import parse_page
from newsroom.models import Bureau, Issue, Region, Story
from newsroom.services.imports import Upload, import_bulletin, undo_batch

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
IMPORTERS = [("ours", "bulletin importer"), ("plain", "django-import-export")]
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


def prepare():
    """The regions, and a bureau in each prefecture the rows name."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    for slug in PREFECTURES:
        Bureau.objects.get_or_create(region=Region.objects.get(slug=slug))


def run_ours(data, rows):
    """Seconds of the bulletin importer's dry run and import, and of undoing imports.

    A tenth of the rows then come again with their text changed (an update of each story) and
    that batch is undone (the stories restored); then the import itself (the stories deleted);
    then a fresh import of half as many rows (the undo of 5,000 stories, for 10,000 rows).
    """
    uploads = [Upload("stories.csv", data)]
    started = time.perf_counter()
    plan, _ = import_bulletin(uploads, dry_run=True)
    dry = time.perf_counter() - started
    assert not plan.errors, plan.errors[:3]
    started = time.perf_counter()
    plan, batch = import_bulletin(uploads)
    wet = time.perf_counter() - started
    assert batch is not None and batch.created_count == len(plan.planned)

    changed = [[*row[:9], row[9] + "\n会议还通报了下一阶段的工作安排。"] for row in rows[: len(rows) // 10]]
    _, again = import_bulletin([Upload("stories-changed.csv", csv_bytes(changed))])
    assert again.updated_count == len(changed)
    undo_updated = timed_undo(again)
    undo_created = timed_undo(batch)
    assert not Story.objects.exists()
    half = [[f"again-{row[0]}", *row[1:]] for row in rows[: len(rows) // 2]]
    _, again = import_bulletin([Upload("stories-half.csv", csv_bytes(half))])
    undo_half = timed_undo(again)
    return (
        dry,
        wet,
        {
            "undo_created": undo_created,
            "undo_updated": undo_updated,
            "updated_rows": len(changed),
            "undo_half": undo_half,
            "half_rows": len(half),
        },
    )


def timed_undo(batch):
    started = time.perf_counter()
    undone = undo_batch(batch, actor=None)
    seconds = time.perf_counter() - started
    assert undone.kept == []
    return seconds


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


def run_plain(data, rows):
    """Seconds of django-import-export's plain dry run and import."""
    Issue.objects.get_or_create(number=5000, defaults={"date": "2026-11-20"})
    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv")
    started = time.perf_counter()
    result = PlainStoryResource().import_data(dataset, dry_run=True)
    dry = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    started = time.perf_counter()
    result = PlainStoryResource().import_data(dataset, dry_run=False)
    wet = time.perf_counter() - started
    assert not result.has_errors()
    return dry, wet, {}
