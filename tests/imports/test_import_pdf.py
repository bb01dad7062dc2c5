"""A page PDF imports like a page text, each story with its zones on the page."""

import io
import json

import pytest
from django.core.management import call_command

from tests.bulletin import pdfpages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def font():
    pdfpages.needs_font()


@pytest.fixture(scope="module")
def page_pdf():
    return pdfpages.reportlab_page()[0]


def test_a_dry_run_prints_each_story_of_a_pdf_page_with_its_zones(bureaus, tmp_path, page_pdf):
    path = tmp_path / "yaowen.pdf"
    path.write_bytes(page_pdf)
    out = io.StringIO()
    call_command(
        "import_bulletin",
        str(path),
        "--issue",
        "7",
        "--date",
        "2024-07-08",
        "--page",
        "3",
        "--dry-run",
        "--json",
        stdout=out,
    )

    reading = json.loads(out.getvalue())
    assert reading["errors"] == []
    items = {item["headline"]: item for item in reading["items"]}
    assert set(items) == {story.headline.split("：")[-1] for story in pdfpages.STORIES}
    first = items["开展乡村振兴专题视察"]
    assert (first["kicker"], first["dateline"], first["page"]) == ("临洮县政协", "临洮", 3)
    [zone] = first["zones"]
    assert zone["page"] == 3 and 0 < zone["x"] < zone["x"] + zone["w"] <= 1 and 0 < zone["y"] < 0.5
    assert items["让协商成果转化为发展实效"]["continued_on_page"] == 2
    # The page's head prints 第1版, the file goes in as page 3: the desk is told.
    assert any(problem["field"] == "page" and "第1版" in problem["message"] for problem in reading["warnings"])


def test_without_page_a_pdf_page_goes_by_its_folio(bureaus, tmp_path, page_pdf):
    path = tmp_path / "yaowen.pdf"
    path.write_bytes(page_pdf)
    out = io.StringIO()
    call_command(
        "import_bulletin", str(path), "--issue", "7", "--date", "2024-07-08", "--dry-run", "--json", stdout=out
    )

    reading = json.loads(out.getvalue())
    assert {item["page"] for item in reading["items"]} == {1}
    assert {zone["page"] for item in reading["items"] for zone in item["zones"]} == {1}


def test_a_broken_pdf_is_refused_naming_the_file(bureaus, tmp_path):
    path = tmp_path / "page-2.pdf"
    path.write_bytes(b"%PDF-1.4 cut short")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_bulletin", str(path), "--issue", "7", "--date", "2024-07-08", "--dry-run", "--json", stdout=out
        )

    [error] = json.loads(out.getvalue())["errors"]
    assert error["source"] == "page-2.pdf" and "PDF" in error["message"]
