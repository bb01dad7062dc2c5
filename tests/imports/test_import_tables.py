import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from newsroom.models import Correspondent, ImportBatch, Story, Topic
from newsroom.services.imports import Action, Upload, import_bulletin
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 11, 20)
HEADER = [
    "reference",
    "page",
    "position",
    "kind",
    "kicker",
    "headline",
    "bureau",
    "region",
    "event_date",
    "credits",
    "body",
    "state",
]
ROWS = [
    [
        "r1",
        "2",
        "1",
        "article",
        "民乐县政协",
        "调研制种产业",
        "minle",
        "",
        "2026-11-18",
        "通讯员 马晓兰",
        "11月18日，民乐县政协调研制种产业。\n## 主要建议\n委员们提出建议。",
        "",
    ],
    ["r2", "2", "2", "photo", "", "委员义诊", "", "xihe", "", "通讯员 鱼晓勇 摄", "委员们为群众义诊。", "submitted"],
]


def csv_bytes(header=HEADER, rows=ROWS, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header=HEADER, rows=ROWS):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def json_bytes():
    return json.dumps([dict(zip(HEADER, row, strict=True)) for row in ROWS], ensure_ascii=False).encode()


def run(name, data, **options):
    options.setdefault("issue_number", 1190)
    options.setdefault("issue_date", DATE)
    return import_bulletin([Upload(name, data)], **options)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("stories.csv", csv_bytes()),
        ("stories-gb.csv", csv_bytes(encoding="gb18030")),
        ("stories-bom.csv", b"\xef\xbb\xbf" + csv_bytes()),
        ("stories.xlsx", xlsx_bytes()),
        ("stories.json", json_bytes()),
    ],
)
def test_a_table_imports_the_same_in_every_format(bureaus, name, data):
    plan, batch = run(name, data)

    assert plan.errors == [], plan.errors
    story = Story.objects.get(reference="r1")
    assert (story.kicker, story.headline, story.bureau.slug, story.page, story.position) == (
        "民乐县政协",
        "调研制种产业",
        "minle",
        2,
        1,
    )
    assert story.subheads == ["主要建议"]
    assert story.event_date == datetime.date(2026, 11, 18)
    photo = Story.objects.get(reference="r2")
    assert (photo.kind, photo.region.slug) == ("photo", "xihe")
    assert [(c.correspondent.name, c.title, c.contribution) for c in photo.credits.all()] == [
        ("鱼晓勇", "通讯员", "photo")
    ]


def test_chinese_headers_are_understood(bureaus):
    header = ["编号", "版次", "顺序", "类型", "引题", "标题", "记者站", "地区", "日期", "署名", "正文", "状态"]

    plan, batch = run("稿件.csv", csv_bytes(header=header))

    assert plan.errors == []
    assert Story.objects.filter(reference__in=["r1", "r2"]).count() == 2


@pytest.mark.parametrize(
    ("column", "value", "field", "expected"),
    [
        ("event_date", "2026-02-30", "event_date", "应写成 2026-11-20"),
        ("region", "atlantis", "region", "没有“atlantis”这个地区"),
        ("bureau", "nowhere", "bureau", "没有“nowhere”这个记者站或地区"),
        ("kind", "video", "kind", "类型“video”无效"),
        ("headline", "", "headline", "标题不能为空"),
        ("page", "二", "page", "不是有效的数字"),
        ("state", "maybe", "state", "状态“maybe”无效"),
        ("body", "", "body", "正文不能为空"),
        ("reference", "r1", "reference", "重复"),
    ],
)
def test_one_bad_cell_stops_the_batch_and_names_file_row_and_column(bureaus, column, value, field, expected):
    rows = [list(row) for row in ROWS]
    rows[1][HEADER.index(column)] = value

    plan, batch = run("stories.csv", csv_bytes(rows=rows))

    assert batch is None
    assert Story.objects.count() == 0 and ImportBatch.objects.count() == 0
    matching = [error for error in plan.errors if error.field == field and expected in error.message]
    assert matching, plan.errors
    assert (matching[0].source, matching[0].line) == ("stories.csv", 3)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.csv", b"", "文件为空"),
        ("binary.csv", b"\x00\x01\x02\x03" * 50, "二进制"),
        ("broken.xlsx", b"PK\x03\x04 not really", "XLSX"),
        ("broken.json", b'[{"headline": ', "不是有效的 JSON"),
        ("notes.doc", b"some words", "不认识的文件类型"),
        ("people.csv", "颜色,大小\n红,大\n".encode(), "认不出这是什么表格"),
    ],
)
def test_bad_files_get_a_clear_error_and_change_nothing(bureaus, name, data, expected):
    plan, batch = run(name, data)

    assert batch is None
    assert any(expected in error.message for error in plan.errors), plan.errors
    assert Story.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(bureaus, settings):
    settings.BULLETIN_MAX_FILE_BYTES = 100

    plan, batch = run("stories.csv", csv_bytes())

    assert batch is None
    assert "超过上限 100 字节" in plan.errors[0].message


def test_a_row_changed_in_a_second_import_updates_its_story_and_nothing_is_duplicated(bureaus):
    run("stories.csv", csv_bytes())
    rows = [list(row) for row in ROWS]
    rows[0][HEADER.index("headline")] = "调研制种产业发展"

    plan, batch = run("stories.csv", csv_bytes(rows=rows))

    assert (plan.summary()["updated"], plan.summary()["unchanged"], plan.summary()["new"]) == (1, 1, 0)
    assert Story.objects.count() == 2
    assert Story.objects.get(reference="r1").headline == "调研制种产业发展"


def test_importers_publish_nothing_unless_their_role_may(bureaus, importer):
    rows = [list(row) for row in ROWS]
    rows[0][HEADER.index("state")] = "published"

    plan, batch = run("stories.csv", csv_bytes(rows=rows), actor=importer)

    assert batch is None
    assert any(error.field == "state" and "不能以“已发布”状态导入" in error.message for error in plan.errors)


def test_a_chief_editor_may_import_published_back_issues(bureaus):
    chief = make_user("chief-importer", "总编")
    chief.user_permissions.add(Permission.objects.get(codename="import_bulletin"))
    rows = [list(row) for row in ROWS]
    rows[0][HEADER.index("state")] = "published"

    plan, batch = run("stories.csv", csv_bytes(rows=rows), actor=chief)

    assert plan.errors == []
    story = Story.objects.published().get(reference="r1")
    assert timezone.localtime(story.published_at).date() == DATE


def test_a_table_of_correspondents_creates_and_updates_people(bureaus):
    data = "姓名,身份,单位,记者站,电话\n马晓兰,通讯员,民乐县政协办公室,minle,0936-1111111\n".encode()

    plan, batch = run("people.csv", data)
    plan, batch = run("people.csv", data.replace(b"1111111", b"2222222"))

    person = Correspondent.objects.get(name="马晓兰")
    assert (person.bureau.slug, person.phone) == ("minle", "0936-2222222")
    assert Correspondent.objects.filter(name="马晓兰").count() == 1


def test_an_unknown_bureau_in_a_table_of_people_names_its_row(bureaus):
    data = "姓名,身份,单位,记者站\n马晓兰,通讯员,民乐县政协办公室,minle\n赵明远,通讯员,张掖市政协,nowhere\n".encode()

    plan, batch = run("people.csv", data)

    assert batch is None
    assert [(error.source, error.line, error.field, error.message) for error in plan.errors] == [
        ("people.csv", 3, "bureau", "没有“nowhere”这个记者站或地区")
    ]
    assert not Correspondent.objects.filter(name__in=["马晓兰", "赵明远"]).exists()


def test_a_bad_cell_in_a_table_of_people_shows_in_the_preview_and_writes_nothing(bureaus):
    data = "姓名,身份,单位,记者站,邮箱\n马晓兰,通讯员,民乐县政协办公室,minle,不是邮箱\n".encode()

    plan, batch = run("people.csv", data)

    assert batch is None
    assert [(error.line, error.field) for error in plan.errors] == [(2, "email")]
    assert not Correspondent.objects.filter(name="马晓兰").exists()


def test_a_dry_run_shows_each_row_as_new_changed_or_unchanged_in_the_plan_and_the_json(bureaus, tmp_path):
    run("stories.csv", csv_bytes())
    rows = [list(row) for row in ROWS]
    rows[0][HEADER.index("headline")] = "调研制种产业发展"
    rows.append(["r3", "2", "3", "article", "", "委员视察水利工程", "minle", "", "", "", "委员们视察了水利工程。", ""])
    path = tmp_path / "stories.csv"
    path.write_bytes(csv_bytes(rows=rows))

    plan, batch = run("stories.csv", path.read_bytes(), dry_run=True)
    out = io.StringIO()
    call_command("import_bulletin", str(path), "--issue", "1190", "--dry-run", "--json", stdout=out)

    assert batch is None
    assert [(planned.item.reference, planned.action) for planned in plan.planned] == [
        ("r1", Action.UPDATE),
        ("r2", Action.UNCHANGED),
        ("r3", Action.NEW),
    ]
    printed = json.loads(out.getvalue())
    assert [(item["reference"], item["action"]) for item in printed["items"]] == [
        ("r1", "update"),
        ("r2", "unchanged"),
        ("r3", "new"),
    ]
    assert (printed["summary"]["new"], printed["summary"]["updated"], printed["summary"]["unchanged"]) == (1, 1, 1)
    assert Story.objects.get(reference="r1").headline == "调研制种产业"


CONTINUED_ON_PAGE_TWO = """调研制种产业

(接一版)

委员们建议延长制种产业链条，培育龙头企业。（通讯员 马晓兰）
"""


def test_a_person_listed_twice_in_a_row_and_again_in_the_continuations_byline_is_credited_once(bureaus):
    header = [*HEADER, "continued_on_page"]
    row = [*ROWS[0], "2"]
    row[HEADER.index("page")] = "1"
    row[HEADER.index("credits")] = "通讯员 马晓兰；通讯员 马晓兰"
    uploads = [
        Upload("stories.csv", csv_bytes(header=header, rows=[row])),
        Upload("page-2.txt", CONTINUED_ON_PAGE_TWO.encode()),
    ]

    plan, batch = import_bulletin(uploads, issue_number=1190, issue_date=DATE)
    again, _ = import_bulletin(uploads, issue_number=1190)

    assert plan.errors == [] and plan.summary()["joined"] == 1
    story = Story.objects.get(reference="r1")
    assert story.paragraphs[-1] == "委员们建议延长制种产业链条，培育龙头企业。"
    assert [(c.correspondent.name, c.title, c.contribution) for c in story.credits.all()] == [
        ("马晓兰", "通讯员", "text")
    ]
    assert Correspondent.objects.filter(name="马晓兰").count() == 1
    assert (again.summary()["new"], again.summary()["updated"], again.summary()["unchanged"]) == (0, 0, 2)

    row[HEADER.index("headline")] = "调研制种产业发展"
    changed, _ = import_bulletin(
        [Upload("stories.csv", csv_bytes(header=header, rows=[row])), uploads[1]], issue_number=1190
    )

    assert changed.summary()["updated"] == 1
    assert [c.correspondent.name for c in Story.objects.get(reference="r1").credits.all()] == ["马晓兰"]


def test_a_headline_over_the_models_limit_is_refused_naming_that_limit(bureaus):
    limit = Story._meta.get_field("headline").max_length
    rows = [list(row) for row in ROWS]
    rows[1][HEADER.index("headline")] = "委" * (limit + 1)

    plan, batch = run("stories.csv", csv_bytes(rows=rows))

    assert batch is None and Story.objects.count() == 0
    assert [(error.source, error.line, error.field, error.message) for error in plan.errors] == [
        ("stories.csv", 3, "headline", f"太长：{limit + 1} 个字，最多 {limit} 个")
    ]


def test_the_length_limits_follow_the_model(bureaus, monkeypatch):
    monkeypatch.setattr(Story._meta.get_field("kicker"), "max_length", 4)

    plan, batch = run("stories.csv", csv_bytes())

    assert batch is None
    assert [(error.line, error.field, error.message) for error in plan.errors] == [
        (2, "kicker", "太长：5 个字，最多 4 个")
    ]


def test_an_imported_story_is_found_by_its_correspondents_name(bureaus):
    from newsroom.models import Story
    from newsroom.services.imports import Upload, import_bulletin

    table = "期号,出版日期,版次,顺序,标题,署名,正文\n1190,2026-11-20,2,1,调研制种产业,通讯员 马晓兰,民乐县政协调研。\n"

    import_bulletin([Upload("names.csv", table.encode())])

    assert list(Story.objects.search("马晓兰").values_list("headline", flat=True)) == ["调研制种产业"]


def test_a_story_an_undo_restores_is_still_found_by_its_correspondents_name(bureaus):
    from newsroom.models import Story
    from newsroom.services.imports import Upload, import_bulletin, undo_batch

    table = (
        "期号,出版日期,编号,版次,顺序,标题,署名,正文\n"
        "1190,2026-11-20,r1,2,1,调研制种产业,通讯员 马晓兰,民乐县政协调研。\n"
    )
    import_bulletin([Upload("names.csv", table.encode())])
    changed = table.replace("民乐县政协调研。", "民乐县政协再次调研。")
    _, second = import_bulletin([Upload("names.csv", changed.encode())])

    undo_batch(second, actor=None)

    story = Story.objects.search("马晓兰").get()
    assert story.paragraphs == ["民乐县政协调研。"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("stories.xlsx", xlsx_bytes([*HEADER, "专题"], [[*ROWS[0], "两会；委员履职"], [*ROWS[1], ""]])),
        (
            "stories.json",
            json.dumps([dict(zip([*HEADER, "专题"], [*ROWS[0], ["两会", "委员履职"]], strict=True))]).encode(),
        ),
    ],
)
def test_the_topic_column_reads_from_a_workbook_and_from_json(bureaus, name, data):
    Topic.objects.create(name="两会", slug="lianghui")
    Topic.objects.create(name="委员履职", slug="lvzhi")

    plan, batch = run(name, data)

    assert plan.errors == [], plan.errors
    assert sorted(Story.objects.get(reference="r1").topics.values_list("name", flat=True)) == ["两会", "委员履职"]
