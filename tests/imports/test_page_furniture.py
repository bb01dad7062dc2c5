"""A page text with its furniture imports as the same page without it, and the desk is told what was left out."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Issue, Story
from newsroom.services.imports import Upload, import_bulletin

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 11, 20)
PAGE = (Path(__file__).parents[1] / "bulletin" / "pages" / "page-counties.txt").read_text(encoding="utf-8")
HEAD = "甘肃政协报\n\n2026年11月20日 星期五\n\n第二版 市县新闻\n\n责任编辑：张 伟 美术编辑：李 娜\n\n"
FOLIO = "\n2 市县新闻\n"
FURNISHED = HEAD + PAGE + FOLIO
NOTICES = [
    (1, "报头“甘肃政协报”不是稿件，已略去"),
    (3, "版面日期“2026年11月20日 星期五”不是稿件，已略去"),
    (5, "版头“第二版 市县新闻”不是稿件，已略去"),
    (7, "编辑署名“责任编辑：张 伟 美术编辑：李 娜”不是稿件，已略去"),
    (FURNISHED.count("\n"), "版脚“2 市县新闻”不是稿件，已略去"),
]


def run(name, text, **options):
    return import_bulletin([Upload(name, text.encode("utf-8"))], issue_number=1190, issue_date=DATE, **options)


def planned(plan):
    return [{key: value for key, value in p.item.as_dict().items() if key != "line"} for p in plan.planned]


def test_a_furnished_page_plans_the_same_stories_as_the_bare_page(bureaus):
    furnished, _ = run("page-2.txt", FURNISHED, dry_run=True)
    bare, _ = run("page-2.txt", PAGE, dry_run=True)

    assert furnished.errors == []
    assert planned(furnished) == planned(bare)
    assert [(w.source, w.line, w.message) for w in furnished.warnings if "已略去" in w.message] == [
        ("page-2.txt", line, message) for line, message in NOTICES
    ]


def test_the_imported_stories_and_the_page_name_come_from_a_furnished_page(bureaus):
    plan, batch = run("page-2.txt", FURNISHED)

    assert plan.errors == [] and batch is not None
    first = Story.objects.get(position=1)
    assert (first.kicker, first.headline, first.page) == ("天水市政协", "召开主席会议研究部署下半年工作", 2)
    assert not Story.objects.filter(kicker="甘肃政协报").exists()
    assert Issue.objects.get(number=1190).pages.get(number=2).name == "市县新闻"


def test_a_page_head_that_disagrees_with_the_page_given_is_pointed_out(bureaus):
    plan, _ = run("page-3.txt", FURNISHED, dry_run=True)

    assert ("page-3.txt", "版头印的是第2版，这个文件按第3版导入，请核对") in [
        (w.source, w.message) for w in plan.warnings
    ]
    assert {p.item.page for p in plan.planned} == {3}


def test_the_command_prints_each_dropped_line(bureaus, tmp_path):
    path = tmp_path / "page-2.txt"
    path.write_text(FURNISHED, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_bulletin", str(path), "--issue", "1190", "--date", "2026-11-20", "--dry-run", stdout=out, stderr=err
    )

    for line, message in NOTICES:
        assert f"警告：page-2.txt 第{line}行：{message}" in err.getvalue()
    assert "试读，未写入：新建 4 篇，更新 0 篇" in out.getvalue()


def test_the_admin_preview_shows_each_dropped_line(client, bureaus, importer, worked):
    client.force_login(importer)
    files = [SimpleUploadedFile("page-2.txt", FURNISHED.encode("utf-8"))]

    preview = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": files, "issue": "1190", "date": "2026-11-20"},
    )

    page = preview.content.decode()
    for line, message in NOTICES:
        assert f"page-2.txt 第{line}行：{message}" in page
    assert "<td>天水市政协</td>" in page and "<td>召开主席会议研究部署下半年工作</td>" in page
    assert "<td>甘肃政协报</td>" not in page
    assert "确认导入" in page


def test_the_editor_in_charge_named_on_the_page_is_kept_with_the_page_and_shown_on_its_stories(bureaus, client):
    from newsroom.services.workflow import Action, transition
    from tests.conftest import make_user

    plan, _ = run("page-2.txt", FURNISHED)
    chief = make_user("chief-editor", "总编")
    story = Story.objects.get(position=1)
    transition(story, Action.APPROVE, actor=chief)
    transition(story, Action.PUBLISH, actor=chief)

    assert Issue.objects.get(number=1190).pages.get(number=2).editor == "张伟"
    page = client.get(story.get_absolute_url()).content.decode()
    assert "责任编辑：张伟" in page
    assert "来源：" in page


def test_an_editor_already_recorded_for_a_page_is_not_replaced(bureaus):
    run("page-2.txt", FURNISHED)
    Issue.objects.get(number=1190).pages.filter(number=2).update(editor="王芳")

    run("page-2.txt", FURNISHED.replace("张 伟", "李 强"))

    assert Issue.objects.get(number=1190).pages.get(number=2).editor == "王芳"
