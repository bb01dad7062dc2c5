"""Files that would kill a worker are refused in seconds, with a message naming them, and leave nothing behind.

The attack: a 430 KB workbook of three million rows sent to the issue import ran until
gunicorn killed the worker; the upload stayed in pending storage. The same with a ZIP bomb
inside an XLSX, a CSV of millions of lines, JSON nested thousands deep, and a photo whose
header claims 2.5 billion pixels inside a bundle.
"""

import io
import json
import time
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from newsroom import import_uploads
from newsroom.bulletin.export import export_issue
from newsroom.models import Issue, Photo, Story
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.photos import add_photo
from tests import factories
from tests.test_images import png_claiming

pytestmark = pytest.mark.django_db

# Refused "in seconds" on a shared machine of two cores: the work is a look at the ZIP's head.
SECONDS = 5

HEADER = "<row>" + "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in ("标题", "正文")) + "</row>"
# A story row by the workbook's shared strings (调研, 委员们调研。), as spreadsheet programs write them.
ROW = '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
SMALL_ROW = "<row><c><v>1</v></c></row>"

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="稿件" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    ),
    "xl/sharedStrings.xml": (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>调研</t></si><si><t>委员们调研。</t></si></sst>"
    ),
}


def workbook(rows, *, dimension=None, repeat=1):
    """An XLSX written by hand, as the attacker did: ``rows`` (XML text) ``repeat`` times, deflated as they go."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            size = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(
                '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"{size}<sheetData>{HEADER}".encode()
            )
            chunk = rows.encode()
            for _ in range(repeat):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def three_million_rows():
    """Three million story rows in a few hundred KB, declaring their size as every spreadsheet program does."""
    return workbook(ROW * 10_000, dimension="A1:F3000000", repeat=300)


def pending_files():
    """Every file waiting in pending storage, whoever sent it."""
    storage = storages["originals"]

    def walk(folder):
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return []
        return [f"{folder}/{name}" for name in files] + [path for sub in folders for path in walk(f"{folder}/{sub}")]

    return walk(import_uploads.FOLDER)


def refused(*uploads):
    """Import the uploads as the command line does; the messages, and how long the refusal took."""
    started = time.monotonic()
    plan, batch = import_bulletin(list(uploads))
    elapsed = time.monotonic() - started
    assert batch is None
    return [problem.message for problem in plan.errors], elapsed


def test_the_three_million_row_workbook_is_small(db):
    data = three_million_rows()

    assert len(data) < 600 * 1024
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size > 150 * 1000 * 1000


def test_three_million_rows_are_refused_in_seconds_on_the_command_line(db, tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(three_million_rows())
    out = io.StringIO()

    started = time.monotonic()
    with pytest.raises(SystemExit) as stop:
        call_command("import_bulletin", str(path), "--json", stdout=out, stderr=io.StringIO())

    assert time.monotonic() - started < SECONDS
    assert stop.value.code == 1
    report = json.loads(out.getvalue())
    assert [error["message"] for error in report["errors"]] == [
        "文件“big.xlsx”有 3000000 行，超过上限 100000 行，未读取。"
    ]
    assert report["errors"][0]["source"] == "big.xlsx"
    assert Story.objects.count() == 0


def test_three_million_rows_sent_to_the_admins_import_are_refused_and_nothing_is_kept(client, importer, worked):
    client.force_login(importer)

    started = time.monotonic()
    page = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("big.xlsx", three_million_rows())]},
    )

    assert time.monotonic() - started < SECONDS
    text = page.content.decode()
    assert page.status_code == 200
    assert "文件“big.xlsx”有 3000000 行，超过上限 100000 行，未读取。" in text
    assert "有 1 处错误，不能导入，什么也没有写入。" in text
    assert "确认导入" not in text
    assert pending_files() == []
    assert Story.objects.count() == 0


@pytest.mark.parametrize(
    "make",
    [
        # Three million rows with no size declared: counted in the XML, and no further than the limit.
        pytest.param(lambda: workbook(SMALL_ROW * 10_000, repeat=300), id="no-dimension"),
        # One row numbered 3000000: openpyxl would hand back the rows it skips, empty, one by one.
        pytest.param(lambda: workbook('<row r="3000000"><c><v>1</v></c></row>'), id="lone-last-row"),
    ],
)
def test_rows_past_the_limit_are_refused_whatever_the_sheet_declares(db, make):
    messages, elapsed = refused(Upload("big.xlsx", make()))

    assert messages == ["文件“big.xlsx”超过上限 100000 行，未读取。"]
    assert elapsed < SECONDS
    assert Story.objects.count() == 0


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_opened(db):
    # 128 MB of blanks inside the sheet deflate to about 130 KB.
    bomb = workbook(" " * (1024 * 1024), repeat=128)
    assert len(bomb) < 200 * 1024
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bomb)).infolist())

    messages, elapsed = refused(Upload("bomb.xlsx", bomb))

    assert messages == [f"文件“bomb.xlsx”解压后有 {unpacked} 字节，超过上限 104857600 字节，未读取。"]
    assert elapsed < SECONDS
    assert Story.objects.count() == 0


def test_a_csv_over_the_row_limit_is_refused(db):
    data = ("标题,正文\n" + "调研,委员们调研。\n" * 150_000).encode()

    messages, elapsed = refused(Upload("stories.csv", data))

    assert messages == ["文件“stories.csv”有 150001 行，超过上限 100000 行，未读取。"]
    assert elapsed < SECONDS
    assert Story.objects.count() == 0


def test_a_csv_cell_longer_than_the_reader_takes_is_a_message_not_a_crash(db):
    data = ('标题,正文\n调研,"' + "委" * 200_000 + '"\n').encode()

    messages, _ = refused(Upload("long.csv", data))

    assert messages == ["第2行无法读取：单元格超过 131072 个字符，或引号没有配对"]


def test_the_row_limit_is_a_setting(db, settings):
    settings.BULLETIN_MAX_ROWS = 3
    data = ("标题,正文\n" + "调研,委员们调研。\n" * 3).encode()

    messages, _ = refused(Upload("stories.csv", data))

    assert messages == ["文件“stories.csv”有 4 行，超过上限 3 行，未读取。"]


def test_json_past_the_row_limit_or_nested_thousands_deep_is_refused(db):
    rows = json.dumps([{"标题": "调研", "正文": "委员们调研。"}] * 100_001, ensure_ascii=False).encode()
    deep = ("[" * 100_000 + "]" * 100_000).encode()

    assert refused(Upload("rows.json", rows))[0] == ["文件“rows.json”有 100001 行，超过上限 100000 行，未读取。"]
    assert refused(Upload("deep.json", deep))[0] == ["文件“deep.json”嵌套超过 20 层，未读取。"]


def test_brackets_inside_json_text_are_only_text(bureaus):
    rows = [{"标题": "[[[[[[[[[[[[[[[[[[[[[[[[[ 调研", "正文": "{{{{{{{{{{{{{{{{{{{{{{{{{{{{ 委员们调研。", "版次": 2}]
    data = json.dumps({"stories": rows}, ensure_ascii=False).encode()

    plan, _ = import_bulletin([Upload("stories.json", data)], issue_number=1190, dry_run=True)

    assert not any("嵌套" in problem.message for problem in plan.errors), plan.errors
    assert [planned.item.headline for planned in plan.planned] == ["[[[[[[[[[[[[[[[[[[[[[[[[[ 调研"]


def test_a_table_inside_a_bundle_is_held_to_the_same_limits(bureaus, settings):
    settings.BULLETIN_MAX_ROWS = 3
    story = factories.story(headline="调研", issue=factories.issue(number=1190), page=1)
    for _ in range(3):
        factories.story(headline="又一篇", issue=story.issue, page=1)
    bundle = export_issue(story.issue)
    Story.objects.all().delete()

    plan, batch = import_bulletin([Upload("issue-1190.zip", bundle)])

    assert batch is None
    assert [problem.message for problem in plan.errors] == [
        "文件“issue-1190.zip:stories.csv”有 5 行，超过上限 3 行，未读取。"
    ]


def test_a_photo_claiming_billions_of_pixels_inside_a_bundle_is_refused(bureaus):
    story = factories.story(headline="视察城市供水保障工作", issue=factories.issue(number=1190), page=1)
    add_photo(story, upload=factories.jpeg(), caption="委员察看水厂。", alt="水厂车间")
    exported = zipfile.ZipFile(io.BytesIO(export_issue(Issue.objects.get(number=1190))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for info in exported.infolist():
            bomb = info.filename.startswith("photos/")
            bundle.writestr(info, png_claiming(50_000, 50_000) if bomb else exported.read(info))
    Photo.objects.all().delete()
    Story.objects.all().delete()

    plan, batch = import_bulletin([Upload("issue-1190.zip", buffer.getvalue())])

    assert batch is None
    assert any("像素太多（上限为 4000 万像素）" in problem.message for problem in plan.errors), plan.errors
    assert Story.objects.count() == 0 and Photo.objects.count() == 0
