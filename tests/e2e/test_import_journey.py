"""Journey 2: an importer brings in an issue from the admin, fixes a bad row, and exports the issue."""

import io
import zipfile

import pytest
from django.urls import reverse

from newsroom.models import Bureau, ImportBatch, Region, Story
from newsroom.services import roles
from newsroom.services.regions import load_regions
from tests.imports.pages import PAGE_ONE

from .conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = (
    "期号,出版日期,编号,版次,顺序,引题,标题,记者站,署名,正文\n"
    "1190,2026-11-20,1190-2-1,2,1,民乐县政协,调研制种产业,minle,通讯员 马晓兰,11月18日，民乐县政协调研制种产业。\n"
    "1190,2026-11-20,1190-2-2,2,2,,委员开展义诊活动,,通讯员 鱼晓勇 摄,委员们为群众义诊。\n"
)
# The row the desk typed by hand: the page number in Chinese.
BAD_TABLE = TABLE.replace("1190-2-2,2,2", "1190-2-2,二,2")
HEADLINES = {"召开十一届常委会第九次会议", "凝聚共识促发展", "调研制种产业", "委员开展义诊活动"}


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def upload(session, files):
    page = session.page
    if page.locator("#id_files").count() == 0:
        session.follow(page.get_by_role("link", name="重新上传"))
    page.set_input_files("#id_files", files)
    page.fill("#id_issue", "1190")
    page.fill("#id_date", "2026-11-20")
    session.follow(page.get_by_role("button", name="预览"))


def test_an_importer_brings_in_an_issue(open_session, people, tmp_path):
    load_regions()
    for slug in ("zhangye", "minle"):
        Bureau.objects.create(region=Region.objects.get(slug=slug))
    people("daoru", roles.IMPORTER)
    people("bianji", roles.EDITOR)
    page_text = write(tmp_path, "page-1.txt", PAGE_ONE, "gb18030")
    (tmp_path / "first-try").mkdir()
    bad_table = write(tmp_path / "first-try", "stories.csv", BAD_TABLE)

    importer = open_session("import", DESKTOP)
    page = importer.page
    importer.login("daoru")
    # The list of stories and the list of batches lead to the same import screen.
    importer.follow(page.get_by_role("link", name="导入批次").first)
    assert page.get_by_role("link", name="导入一期报纸").count() == 1
    importer.follow(page.get_by_role("link", name="稿件", exact=True).first)
    assert page.url.endswith(reverse("admin:newsroom_story_changelist"))
    importer.follow(page.get_by_role("link", name="导入一期报纸"))
    assert page.locator("h1").inner_text() == "导入一期报纸"
    importer.check_accessible("the upload page")

    # The first try: the bad row is flagged with its file and line, and nothing is written.
    upload(importer, [page_text, bad_table])
    assert page.locator("h2", has_text="有错误，未写入任何内容").count() == 1
    # The bad row says what is wrong on the row itself.
    row = page.locator("#content-main tbody tr", has_text="stories.csv 第3行").inner_text()
    assert "错误（版次）" in row and "“二”" in row, row
    assert page.get_by_role("button", name="确认导入").count() == 0
    importer.check_accessible("the preview with an error")
    importer.shot("1-bad-row")
    assert Story.objects.count() == 0

    # The fixed file: a preview of what will be written, then the import.
    fixed_table = write(tmp_path, "stories.csv", TABLE)
    upload(importer, [page_text, fixed_table])
    assert page.locator("h2", has_text="预览：确认后才会写入").count() == 1
    preview = page.locator("#content-main table").inner_text()
    assert all(headline in preview for headline in HEADLINES), preview
    importer.check_accessible("the preview")
    importer.shot("2-preview")
    assert Story.objects.count() == 0
    importer.follow(page.get_by_role("button", name="确认导入"))
    assert "已导入：新建 4 篇" in page.locator(".messagelist").inner_text()
    importer.check_accessible("the batch")
    importer.shot("3-batch")
    assert ImportBatch.objects.get().created_by.username == "daoru"

    # The stories wait for review: the importer sees them as submitted, the editor in the review queue.
    importer.go(reverse("admin:newsroom_story_changelist") + "?state=submitted")
    listed = page.locator("#result_list").inner_text()
    assert all(headline in listed for headline in HEADLINES), listed
    importer.check_accessible("the importer's list of stories")
    desk = open_session("import", DESKTOP)
    desk.login("bianji")
    queue = desk.page.locator("section[aria-labelledby=desk-queue]")
    assert all(queue.get_by_role("link", name=headline).count() == 1 for headline in HEADLINES)
    desk.check_accessible("the editor's review queue")
    desk.shot("4-review-queue", full_page=False)

    # The issue goes back out as a bundle.
    importer.go(reverse("admin:newsroom_issue_changelist"))
    row = page.locator("#result_list tr", has_text="1190")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("export_bundle")
    importer.check_accessible("the list of issues")
    with page.expect_download() as download:
        page.locator("button[name=index]").click()
    assert download.value.suggested_filename == "issue-1190.zip"
    bundle = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"manifest.json", "stories.csv", "page-1.txt"} <= set(bundle.namelist())
    assert "委员开展义诊活动" in bundle.read("stories.csv").decode("utf-8-sig")
