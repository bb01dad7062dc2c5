"""The admin's one import screen: tables, page texts and bundles; preview with bad rows flagged, fix, confirm."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from newsroom import import_uploads
from newsroom.bulletin.export import export_issue
from newsroom.models import ImportBatch, Issue, Story
from tests import factories
from tests.pages import texts

pytestmark = pytest.mark.django_db

GOOD = (
    "期号,出版日期,编号,版次,顺序,引题,标题,记者站,署名,正文\n"
    "1190,2026-11-20,a1,2,1,民乐县政协,调研制种产业,minle,通讯员 马晓兰,11月18日，民乐县政协调研制种产业。\n"
    "1190,2026-11-20,a2,2,2,,委员义诊,,通讯员 鱼晓勇 摄,委员们为群众义诊。\n"
)
BAD = GOOD.replace("1190,2026-11-20,a2,2,2", "1190,2026-11-20,a2,二,2")

UPLOAD = "admin:newsroom_importbatch_upload"


@pytest.fixture
def upload(client, worked):
    """Send one file to the import screen, as the importer's browser would; returns the preview's page."""

    def send(text, name="stories.csv", encoding="utf-8", **fields):
        files = [SimpleUploadedFile(name, text.encode(encoding))]
        return worked(client.post, reverse(UPLOAD), {"files": files, **fields})

    return send


@pytest.fixture
def confirm(client, worked):
    """Press 确认导入 on a preview's page; returns the import job's page."""

    def press(preview):
        return worked(client.post, reverse("admin:newsroom_job_confirm", args=[preview.context["job"].pk]))

    return press


def rows_of(page):
    """The preview's table as the importer reads it: each row's cells after its number."""
    cells = texts(page, "#content-main table tbody td")
    columns = len(texts(page, "#content-main table thead th")) - 1
    return [cells[start : start + columns] for start in range(0, len(cells), columns)]


def kept_uploads(user):
    try:
        return storages["originals"].listdir(f"{import_uploads.FOLDER}/{user.pk}")[0]
    except FileNotFoundError:
        return []


def test_the_preview_flags_the_bad_row_and_writes_nothing(client, bureaus, importer, upload):
    client.force_login(importer)

    response = upload(BAD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "有错误，未写入任何内容" in page
    assert "stories.csv 第3行" in page and "“二”不是有效的数字" in page
    assert "确认导入" not in page
    assert Story.objects.count() == 0


def test_each_rows_problem_is_written_on_its_row(client, bureaus, importer, upload):
    client.force_login(importer)

    page = upload(BAD).content.decode()

    rows = rows_of(page)
    assert [row[3] for row in rows] == ["调研制种产业", "委员义诊"]
    assert "错误" not in rows[0][-1] and "新建通讯员“马晓兰”" in rows[0][-1]
    assert "“二”不是有效的数字" in rows[1][-1] and "版次" in rows[1][-1]


def test_a_good_table_is_previewed_then_written_on_confirmation(client, bureaus, importer, upload, confirm):
    client.force_login(importer)

    preview = upload(GOOD)
    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "第1190期：新建 2 篇，更新 0 篇，未变 0 篇" in page
    assert [row[:2] for row in rows_of(page)] == [["新建", "2"], ["新建", "2"]]
    assert [row[3] for row in rows_of(page)] == ["调研制种产业", "委员义诊"]
    assert "确认导入" in page
    assert Story.objects.count() == 0

    response = confirm(preview)

    assert response.status_code == 200
    assert set(Story.objects.values_list("headline", "status")) == {
        ("调研制种产业", "submitted"),
        ("委员义诊", "submitted"),
    }
    batch = ImportBatch.objects.get()
    assert batch.created_by == importer
    assert texts(response.content.decode(), ".messagelist li") == [f"{batch} 已导入：新建 2 篇，更新 0 篇，未变 0 篇。"]
    assert f"查看{batch}" in response.content.decode()


def test_confirming_twice_imports_once(client, bureaus, importer, upload, confirm):
    client.force_login(importer)
    preview = upload(GOOD)

    first = confirm(preview)
    second = confirm(preview)

    assert first.context["job"] == second.context["job"]
    assert ImportBatch.objects.count() == 1
    assert Story.objects.count() == 2


def table_as(kind):
    """GOOD as the desk might send it: CSV, XLSX or JSON."""
    rows = list(csv.reader(io.StringIO(GOOD)))
    if kind == "csv":
        return GOOD.encode()
    if kind == "json":
        return json.dumps([dict(zip(rows[0], row, strict=True)) for row in rows[1:]], ensure_ascii=False).encode()
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_a_table_in_each_format_is_previewed_alike(client, bureaus, importer, kind, worked):
    client.force_login(importer)

    preview = worked(client.post, reverse(UPLOAD), {"files": [SimpleUploadedFile(f"stories.{kind}", table_as(kind))]})

    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "第1190期：新建 2 篇" in page
    assert "调研制种产业" in page and "委员义诊" in page


def test_a_gbk_table_reads_as_chinese(client, bureaus, importer, upload, confirm):
    client.force_login(importer)

    preview = upload(GOOD, name="stories-gbk.csv", encoding="gbk")
    page = preview.content.decode()
    assert "预览：确认后才会写入" in page
    assert "调研制种产业" in page and "民乐县政协" in page and "马晓兰" in page

    confirm(preview)

    story = Story.objects.get(headline="调研制种产业")
    assert (story.kicker, story.paragraphs) == ("民乐县政协", ["11月18日，民乐县政协调研制种产业。"])
    assert [credit.correspondent.name for credit in story.credits.all()] == ["马晓兰"]


def test_importing_the_same_table_again_changes_nothing(client, bureaus, importer, upload, confirm):
    client.force_login(importer)
    confirm(upload(GOOD))

    again = upload(GOOD)

    assert "新建 0 篇，更新 0 篇，未变 2 篇" in again.content.decode()
    assert Story.objects.count() == 2


def test_only_importers_see_the_import(client, bureaus, editor):
    client.force_login(editor)

    assert client.get(reverse(UPLOAD)).status_code == 403
    assert reverse(UPLOAD) not in client.get(reverse("admin:newsroom_story_changelist")).content.decode()


def test_the_story_lists_import_button_leads_to_the_one_import_screen(client, bureaus, importer):
    client.force_login(importer)

    page = client.get(reverse("admin:newsroom_story_changelist")).content.decode()

    assert f'<a href="{reverse(UPLOAD)}" class="addlink">导入一期报纸</a>' in page
    assert "/admin/newsroom/story/import/" not in page


def test_page_texts_are_previewed_then_imported_on_confirmation(client, bureaus, importer, worked, confirm):
    from .pages import PAGE_ONE, PAGE_TWO

    client.force_login(importer)
    url = reverse("admin:newsroom_importbatch_upload")
    files = [
        SimpleUploadedFile("page-1.txt", PAGE_ONE.encode("gb18030")),
        SimpleUploadedFile("page-2.txt", PAGE_TWO.encode("utf-8")),
    ]

    preview = worked(client.post, url, {"files": files, "issue": "1190", "date": "2026-11-20"})
    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "续接" in page
    assert Story.objects.count() == 0

    response = confirm(preview)

    assert "已导入：新建 3 篇" in texts(response, ".messagelist li")[0]
    assert Story.objects.count() == 3
    assert ImportBatch.objects.get().files[0]["name"] == "page-1.txt"


def test_a_page_with_errors_is_not_offered_for_confirmation(client, bureaus, importer, worked):
    from .pages import PAGE_ONE

    client.force_login(importer)
    bad = SimpleUploadedFile("page-1.txt", PAGE_ONE.replace("本报张掖讯", "本报火星讯").encode())

    response = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [bad], "issue": "1190", "date": "2026-11-20"},
    )

    page = response.content.decode()
    assert "有错误，未写入任何内容" in page and "火星" in page
    assert "确认导入" not in page
    job = response.context["job"]
    assert client.post(reverse("admin:newsroom_job_confirm", args=[job.pk])).status_code == 302
    assert ImportBatch.objects.count() == 0 and Story.objects.count() == 0


def test_someone_elses_preview_is_neither_shown_nor_confirmed(client, bureaus, importer, upload):
    from tests.conftest import make_user

    from .pages import PAGE_ONE

    client.force_login(importer)
    job = upload(PAGE_ONE, name="page-1.txt", issue="1190", date="2026-11-20").context["job"]
    other = make_user("other-importer", "导入员")
    client.force_login(other)

    assert client.get(reverse("admin:newsroom_job_change", args=[job.pk])).status_code == 404
    assert client.post(reverse("admin:newsroom_job_confirm", args=[job.pk])).status_code == 404
    assert Story.objects.count() == 0


def test_an_importer_exports_an_issue_from_the_admin(client, bureaus, importer):
    import io
    import zipfile

    from newsroom.models import Issue
    from tests import factories

    # The importer's own story: an export carries only what its maker may see (tests/security/test_export_roles.py).
    factories.story(headline="本期稿件", issue=factories.issue(number=1191), page=1, created_by=importer)
    client.force_login(importer)

    response = client.post(
        reverse("admin:newsroom_issue_changelist"),
        {"action": "export_bundle", "_selected_action": [Issue.objects.get(number=1191).pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="issue-1191.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.json", "stories.csv", "page-1.txt"} <= set(names)


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(client, bureaus, importer, settings, upload):
    settings.BULLETIN_MAX_FILE_BYTES = 50
    client.force_login(importer)

    response = upload(GOOD)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"文件“stories.csv”有 {len(GOOD.encode())} 字节，超过上限 50 字节。" in page
    assert "确认导入" not in page
    assert kept_uploads(importer) == []
    assert Story.objects.count() == 0


def test_the_one_screen_takes_a_table_a_page_text_and_a_bundle(client, bureaus, importer, upload, confirm, worked):
    from .pages import PAGE_ONE

    factories.story(headline="整期包里的稿件", issue=factories.issue(number=1191), page=1)
    bundle = export_issue(Issue.objects.get(number=1191))
    Story.objects.all().delete()
    Issue.objects.all().delete()
    client.force_login(importer)

    table = confirm(upload(GOOD))
    text = confirm(upload(PAGE_ONE, name="page-1.txt", issue="1192", date="2026-11-22"))
    preview = worked(client.post, reverse(UPLOAD), {"files": [SimpleUploadedFile("issue-1191.zip", bundle)]})
    assert "第1191期：新建 1 篇" in preview.content.decode()
    whole = confirm(preview)

    assert ["已导入" in response.content.decode() for response in (table, text, whole)] == [True, True, True]
    assert set(Story.objects.values_list("issue__number", flat=True)) == {1190, 1191, 1192}
    assert Story.objects.filter(headline="整期包里的稿件", issue__number=1191, page=1).exists()
    assert ImportBatch.objects.count() == 3


BACK_ISSUES = (
    "期号,出版日期,编号,版次,顺序,引题,标题,记者站,署名,正文\n"
    "101,2023-06-28,,1,1,张掖市政协,召开党组扩大会议,zhangye,通讯员 赵明远,6月27日，张掖市政协召开党组扩大会议。\n"
    "102,2023-06-29,,1,1,白银市政协,赴外地开展招商推介,baiyin,通讯员 张子华,6月26日，白银市政协赴外地开展招商推介。\n"
    "103,2023-06-30,,2,1,民乐县政协,调研制种产业,minle,通讯员 马晓兰,6月28日，民乐县政协调研制种产业。\n"
)


def test_a_table_of_several_issues_is_previewed_with_its_issues_and_confirmed_as_one_batch(
    client, bureaus, importer, upload, confirm
):
    client.force_login(importer)

    preview = upload(BACK_ISSUES, name="back-issues.csv", encoding="gbk")
    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "第101—103期，共3期：新建 3 篇，更新 0 篇" in page
    assert "第None期" not in page and "确认导入" in page
    assert Story.objects.count() == 0 and Issue.objects.count() == 0

    response = confirm(preview)

    batch = ImportBatch.objects.get()
    assert sorted(batch.issues.values_list("number", flat=True)) == [101, 102, 103]
    assert set(Story.objects.values_list("issue__number", "issue__date", "page", "headline")) == {
        (101, datetime.date(2023, 6, 28), 1, "召开党组扩大会议"),
        (102, datetime.date(2023, 6, 29), 1, "赴外地开展招商推介"),
        (103, datetime.date(2023, 6, 30), 2, "调研制种产业"),
    }
    assert texts(response, ".messagelist li") == [f"{batch} 已导入：新建 3 篇，更新 0 篇，未变 0 篇。"]


def test_an_existing_issue_dated_otherwise_in_the_table_is_flagged_in_the_preview(client, bureaus, importer, upload):
    Issue.objects.create(number=102, date=datetime.date(2023, 6, 29))
    client.force_login(importer)

    preview = upload(BACK_ISSUES.replace("102,2023-06-29", "102,2023-07-01"), name="back-issues.csv")

    page = preview.content.decode()
    assert "有错误，未写入任何内容" in page
    row = next(row for row in texts(page, "#content-main tbody tr") if "back-issues.csv 第3行" in row)
    assert "错误（出版日期）：第102期已有，出版日期是 2023-06-29，不是 2023-07-01" in row
    assert "确认导入" not in page
    assert list(Issue.objects.values_list("number", flat=True)) == [102]


def test_a_table_of_people_is_previewed_without_naming_an_issue(client, bureaus, importer, upload):
    client.force_login(importer)

    preview = upload("姓名,身份,单位,记者站\n马晓兰,通讯员,民乐县政协办公室,minle\n", name="people.csv")

    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "不涉及报纸各期：新建 0 篇" in page
    assert "第None期" not in page


def test_a_pdf_is_previewed_page_by_page_with_its_zones_numbered_as_its_stories(client, bureaus, importer, worked):
    from tests.bulletin import pdfpages

    pdfpages.needs_font()
    client.force_login(importer)
    issue = SimpleUploadedFile("issue.pdf", pdfpages.two_page_issue())

    preview = worked(client.post, reverse(UPLOAD), {"files": [issue], "issue": "7", "date": "2024-07-08"})

    page = preview.content.decode()
    assert "预览：确认后才会写入" in page
    headlines = [row[3] for row in rows_of(preview)]
    assert texts(preview, "#content-main table tbody th") == [str(number) for number in range(1, len(headlines) + 1)]
    # Each page's picture is in the preview itself, each zone an outline numbered as its story's row.
    assert page.count('src="data:image/jpeg;base64,') == 2
    numbers = texts(preview, ".printed-zone text")
    assert numbers == [str(n) for n in range(1, len(headlines) + 1)]
    # The continued story's part on page 2 is a row of its own (续接), outlined on page 2.
    assert headlines.count("让协商成果转化为发展实效") == 2
    captions = texts(preview, ".printed-page figcaption")
    assert captions[0].startswith("第1版（issue.pdf 第1页）：1. 开展乡村振兴专题视察")
    assert "视察城乡供水一体化项目" in captions[1]
    # Placed by SVG attributes, never a style attribute the site's CSP would drop (every zone in one corner).
    assert 'x="4.75%" y="8.49%"' in page
    assert 'style="' not in page.split('class="printed-pages"')[1]


def test_a_confirmed_pdf_keeps_its_pages_with_their_images_and_zones(client, bureaus, importer, worked, confirm):
    from newsroom.models import Page, Zone
    from tests.bulletin import pdfpages

    pdfpages.needs_font()
    client.force_login(importer)
    issue = SimpleUploadedFile("issue.pdf", pdfpages.two_page_issue())
    preview = worked(client.post, reverse(UPLOAD), {"files": [issue], "issue": "7", "date": "2024-07-08"})

    response = confirm(preview)

    assert "已导入：新建 6 篇" in texts(response, ".messagelist li")[0]
    pages = Page.objects.filter(issue__number=7).order_by("number")
    assert [(page.number, bool(page.pdf), page.images.count()) for page in pages] == [(1, True, 6), (2, True, 6)]
    assert Zone.objects.count() == 7
