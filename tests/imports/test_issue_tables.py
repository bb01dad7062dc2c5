"""Tables that carry their issues: 期号 and 出版日期 on each row, one batch for a whole back catalogue."""

import codecs
import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from newsroom.models import ImportBatch, Issue, Page, Story
from newsroom.services.imports import Action, Upload, import_bulletin, undo_batch
from newsroom.services.imports.plan import issue_names
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HEADER = ["期号", "出版日期", "编号", "版次", "顺序", "引题", "标题", "记者站", "署名", "正文", "转至", "接自"]
# Three issues; on 101 and 102 a story runs on from page 1 to page 2 under the same headline.
ROWS = [
    ["101", "2023-06-28", "", "1", "1", "张掖市政协", "召开党组扩大会议", "zhangye", "通讯员 赵明远",
     "6月27日，张掖市政协召开党组扩大会议，传达学习有关会议精神。", "", ""],
    ["101", "2023-06-28", "", "1", "2", "", "凝聚共识促发展", "", "记者 钱慧敏",
     "今年以来，各级政协围绕中心工作开展协商议政。", "2", ""],
    ["101", "2023-06-28", "", "2", "1", "", "凝聚共识促发展", "", "",
     "委员们深入一线调研，把群众的意见带到协商会上。", "", "1"],
    ["102", "2023-06-29", "", "1", "1", "", "凝聚共识促发展", "", "记者 钱慧敏",
     "协商成果如何落地见效，是各地政协共同的课题。", "2", ""],
    ["102", "2023-06-29", "", "2", "1", "", "凝聚共识促发展", "", "",
     "各地探索建立协商成果办理反馈制度，明确责任单位和办理时限。", "", "1"],
    ["102", "2023-06-29", "", "2", "2", "白银市政协", "赴外地开展招商推介", "baiyin", "通讯员 张子华",
     "6月26日至27日，白银市政协组织委员赴外地开展招商推介活动。", "", ""],
    ["103", "2023-06-30", "", "1", "1", "天水市政协", "视察城市供水保障工作", "tianshui", "通讯员 孙晓东",
     "6月29日，天水市政协组织委员视察城市供水保障工作。", "", ""],
    ["103", "2023-06-30", "", "3", "1", "民乐县政协", "调研制种产业", "minle", "通讯员 马晓兰",
     "6月28日，民乐县政协调研制种产业发展情况。", "", ""],
]  # fmt: skip
DATES = {101: datetime.date(2023, 6, 28), 102: datetime.date(2023, 6, 29), 103: datetime.date(2023, 6, 30)}
NAME = "back-issues.csv"


def csv_text(header=HEADER, rows=ROWS):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def gbk_csv(rows=ROWS):
    return csv_text(rows=rows).encode("gbk")


def xlsx_with_date_cells():
    """As a spreadsheet keeps it: issue numbers as numbers, dates as dates."""
    book = Workbook()
    book.active.append(HEADER)
    for row in ROWS:
        book.active.append([int(row[0]), datetime.date.fromisoformat(row[1]), *row[2:]])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def changed(rows, row_number, column, value):
    """``rows`` with one cell changed; ``row_number`` counts as the table does, the header being row 1."""
    rows = [list(row) for row in rows]
    rows[row_number - 2][HEADER.index(column)] = value
    return rows


def import_file(tmp_path, data, *options, name=NAME):
    """``manage.py import_bulletin FILE --json``: what it printed, and whether it wrote."""
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_bulletin", str(path), "--json", *options, stdout=out, stderr=err)
    except SystemExit as stop:
        assert stop.code == 1
    return json.loads(out.getvalue())


def placed():
    """Each story as a reader finds it: issue, its date, page, headline; and the pages of each issue."""
    stories = sorted(
        (story.issue.number, story.issue.date, story.page, story.position, story.headline)
        for story in Story.objects.select_related("issue")
    )
    pages = sorted(Page.objects.values_list("issue__number", "number"))
    return stories, pages


def test_a_gbk_table_of_three_issues_imports_on_the_command_line_as_one_batch(tmp_path, bureaus):
    printed = import_file(tmp_path, gbk_csv())

    assert printed["errors"] == []
    assert (printed["summary"]["new"], printed["summary"]["joined"], printed["summary"]["issues"]) == (6, 2, 3)
    batch = ImportBatch.objects.get()
    assert printed["batch"] == batch.pk
    assert sorted(issue.number for issue in batch.issues.all()) == [101, 102, 103]
    assert batch.issue is None and batch.created_count == 6
    assert {issue.number: issue.date for issue in Issue.objects.all()} == DATES
    stories, pages = placed()
    assert stories == [
        (101, DATES[101], 1, 1, "召开党组扩大会议"),
        (101, DATES[101], 1, 2, "凝聚共识促发展"),
        (102, DATES[102], 1, 1, "凝聚共识促发展"),
        (102, DATES[102], 2, 2, "赴外地开展招商推介"),
        (103, DATES[103], 1, 1, "视察城市供水保障工作"),
        (103, DATES[103], 3, 1, "调研制种产业"),
    ]
    assert pages == [(101, 1), (101, 2), (102, 1), (102, 2), (103, 1), (103, 3)]
    # Each issue's continuation joined the story of its own issue, though the headlines are the same.
    for number, first, then in [(101, 3, 4), (102, 5, 6)]:
        story = Story.objects.get(issue__number=number, headline="凝聚共识促发展")
        assert story.continued_on_page == 2
        assert story.paragraphs == [ROWS[first - 2][HEADER.index("正文")], ROWS[then - 2][HEADER.index("正文")]]
    assert Story.objects.get(headline="调研制种产业").bureau.slug == "minle"


def test_importing_the_same_table_again_changes_nothing(tmp_path, bureaus):
    import_file(tmp_path, gbk_csv())
    before = list(Story.objects.order_by("pk").values_list("pk", "updated_at", "body"))

    printed = import_file(tmp_path, gbk_csv())

    assert printed["errors"] == []
    assert {item["action"] for item in printed["items"]} == {"unchanged"}
    assert [(item["issue"], item["page"]) for item in printed["items"]] == [(int(row[0]), int(row[3])) for row in ROWS]
    assert (printed["summary"]["new"], printed["summary"]["updated"], printed["summary"]["unchanged"]) == (0, 0, 8)
    assert list(Story.objects.order_by("pk").values_list("pk", "updated_at", "body")) == before
    assert Issue.objects.count() == 3 and Page.objects.count() == 6


def test_an_existing_issue_with_another_date_in_the_file_stops_the_whole_batch(tmp_path, bureaus):
    Issue.objects.create(number=102, date=DATES[102])
    rows = [row if row[0] != "102" else changed([row], 2, "出版日期", "2023-07-01")[0] for row in ROWS]

    printed = import_file(tmp_path, gbk_csv(rows))

    assert printed["batch"] is None
    assert [(error["source"], error["line"], error["field"]) for error in printed["errors"]] == [
        (NAME, 5, "issue_date")
    ]
    assert printed["errors"][0]["message"] == "第102期已有，出版日期是 2023-06-29，不是 2023-07-01"
    assert Story.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert list(Issue.objects.values_list("number", flat=True)) == [102]
    assert Page.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "value", "field", "message"),
    [
        (
            6,
            "出版日期",
            "2023-07-01",
            "issue_date",
            "第102期的出版日期在back-issues.csv 第5行是 2023-06-29，这里是 2023-07-01",
        ),
        (3, "出版日期", "2023-02-30", "issue_date", "出版日期“2023-02-30”无效，应写成 2026-11-20"),
        (3, "期号", "", "issue", "没有期号：请填表格的“期号”列，或给出期号（--issue）"),
        (3, "期号", "第一期", "issue", "“第一期”不是有效的数字，应为不小于1的整数"),
    ],
)
def test_a_bad_issue_cell_names_file_row_and_field_and_writes_nothing(bureaus, row, column, value, field, message):
    plan, batch = import_bulletin([Upload(NAME, gbk_csv(changed(ROWS, row, column, value)))])

    assert batch is None
    assert [(error.source, error.line, error.field, error.message) for error in plan.errors] == [
        (NAME, row, field, message)
    ]
    assert Story.objects.count() == 0 and Issue.objects.count() == 0


def test_a_new_issue_without_a_date_is_named_at_its_first_row(bureaus):
    rows = [row if row[0] != "103" else changed([row], 2, "出版日期", "")[0] for row in ROWS]

    plan, batch = import_bulletin([Upload(NAME, gbk_csv(rows))])

    assert [(error.line, error.field, error.message) for error in plan.errors] == [
        (8, "issue_date", "第103期还不存在，请给出出版日期（表格的“出版日期”列，或 --date）")
    ]
    assert Issue.objects.count() == 0


def test_a_reference_already_on_another_issue_is_refused(bureaus):
    factories.story(headline="旧稿", issue=Issue.objects.create(number=101, date=DATES[101]), page=1, reference="k1")

    plan, batch = import_bulletin([Upload(NAME, gbk_csv(changed(ROWS, 9, "编号", "k1")))])

    assert batch is None
    assert [(error.line, error.field, error.message) for error in plan.errors] == [
        (9, "reference", "编号“k1”已是第101期的稿件，不在第103期")
    ]


def test_rows_without_an_issue_fall_back_to_the_batchs_issue_and_date(bureaus):
    rows = changed(changed(ROWS, 2, "期号", ""), 2, "出版日期", "")

    plan, batch = import_bulletin(
        [Upload(NAME, gbk_csv(rows))], issue_number=100, issue_date=datetime.date(2023, 6, 27)
    )

    assert plan.errors == []
    assert Story.objects.get(headline="召开党组扩大会议").issue.number == 100
    assert Issue.objects.get(number=100).date == datetime.date(2023, 6, 27)
    assert Issue.objects.get(number=101).date == DATES[101]
    assert sorted(issue.number for issue in batch.issues.all()) == [100, 101, 102, 103]


def test_a_date_option_that_contradicts_the_rows_of_its_issue_names_the_row(bureaus):
    plan, batch = import_bulletin([Upload(NAME, gbk_csv())], issue_number=101, issue_date=datetime.date(2023, 6, 27))

    assert batch is None
    assert [(error.line, error.field) for error in plan.errors] == [
        (2, "issue_date"),
        (3, "issue_date"),
        (4, "issue_date"),
    ]
    assert plan.errors[0].message == "第101期的出版日期在批次选项（--date）中是 2023-06-27，这里是 2023-06-28"


def as_read(plan):
    return [
        (planned.item.issue, planned.issue.date, planned.item.page, planned.item.headline, planned.item.body,
         [(credit.name, credit.title) for credit in planned.item.credits], planned.action)
        for planned in plan.planned
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf-16.csv", csv_text().encode("utf-16")),
        ("utf-8-bom.csv", codecs.BOM_UTF8 + csv_text().encode("utf-8")),
        ("utf-8.csv", csv_text().encode("utf-8")),
        ("gb18030.csv", csv_text().encode("gb18030")),
        ("spreadsheet.xlsx", xlsx_with_date_cells()),
    ],
)
def test_every_encoding_and_the_spreadsheet_read_the_same_as_the_gbk_table(bureaus, name, data):
    gbk, _ = import_bulletin([Upload(NAME, gbk_csv())], dry_run=True)

    plan, _ = import_bulletin([Upload(name, data)], dry_run=True)

    assert gbk.errors == [] and plan.errors == []
    assert as_read(plan) == as_read(gbk)
    assert plan.issue_names == "第101—103期，共3期"


@pytest.mark.parametrize("written", ["2023/6/29", "2023年6月29日", "2023.06.29"])
def test_dates_read_as_spreadsheets_and_people_write_them(bureaus, written):
    rows = [row if row[0] != "102" else changed([row], 2, "出版日期", written)[0] for row in ROWS]

    plan, batch = import_bulletin([Upload(NAME, gbk_csv(rows))])

    assert plan.errors == []
    assert Issue.objects.get(number=102).date == DATES[102]


def test_a_back_catalogue_published_by_a_chief_editor_is_dated_by_each_issue(bureaus):
    chief = make_user("chief-importer", "总编")
    chief.user_permissions.add(Permission.objects.get(codename="import_bulletin"))
    rows = [[*row, "已发布"] for row in ROWS]

    plan, batch = import_bulletin([Upload(NAME, csv_text([*HEADER, "状态"], rows).encode("gbk"))], actor=chief)

    assert plan.errors == []
    for story in Story.objects.published().select_related("issue"):
        assert timezone.localtime(story.published_at) == timezone.make_aware(
            datetime.datetime.combine(story.issue.date, datetime.time(6, 0))
        )
    assert Story.objects.published().count() == 6


def test_undoing_a_batch_of_several_issues_takes_back_the_stories_of_each(bureaus, importer):
    plan, batch = import_bulletin([Upload(NAME, gbk_csv())], actor=importer)

    undo_batch(batch, actor=importer)

    assert Story.objects.count() == 0
    assert ImportBatch.objects.get().state == "undone"


def test_a_table_of_one_issue_records_it_as_the_batchs_issue(bureaus):
    plan, batch = import_bulletin([Upload(NAME, gbk_csv([row for row in ROWS if row[0] == "103"]))])

    assert batch.issue.number == 103
    assert [issue.number for issue in batch.issues.all()] == [103]
    assert plan.issue_names == "第103期"
    assert all(planned.action == Action.NEW for planned in plan.planned)


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([1190], "第1190期"),
        ([102, 101], "第101、102期，共2期"),
        ([101, 102, 103], "第101—103期，共3期"),
        ([107, 101, 102, 103, 109, 110], "第101—103、107、109、110期，共6期"),
    ],
)
def test_the_issues_of_a_batch_are_named_as_a_reader_would_say_them(numbers, text):
    assert issue_names(numbers) == text
