"""A page PDF reads into the stories its text would, each with its zone on the page.

The PDFs are laid out here, by two different tools (see pdfpages.py).
"""

import os
from pathlib import Path

import pytest

from newsroom.bulletin.pagetext import parse_page
from newsroom.bulletin.pdfpage import read_pdf
from newsroom.bulletin.textfile import BulletinFileError

from . import pdfpages

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
MIN_IOU = 0.7


@pytest.fixture(autouse=True, scope="module")
def font():
    pdfpages.needs_font()


@pytest.fixture(scope="module")
def reportlab_page():
    return pdfpages.reportlab_page()


@pytest.fixture(scope="module")
def chromium_page():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI lays out a page with Chromium and cannot find it at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            return pdfpages.chromium_page(browser)
        finally:
            browser.close()


def iou(a, b):
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def fields(item):
    return {key: value for key, value in item.as_dict().items() if key != "line"}


@pytest.fixture(params=["reportlab", "chromium"])
def laid_out(request):
    return request.getfixturevalue(f"{request.param}_page")


def test_a_page_pdf_reads_as_its_text_does(laid_out):
    data, _ = laid_out
    [page] = read_pdf(data, source="page.pdf")
    text = parse_page(pdfpages.page_text())

    assert page.errors == []
    assert (page.page_number, page.page_name) == (1, "要闻")
    by_headline = {item.headline: fields(item) for item in page.items}
    assert by_headline == {item.headline: fields(item) for item in text.items}


def test_each_story_gets_the_zone_it_was_laid_out_in(laid_out):
    data, drawn = laid_out
    [page] = read_pdf(data, source="page.pdf")
    zones = {item.headline: zone for item, [zone] in zip(page.items, page.zones, strict=True)}

    for story, rectangle in zip(pdfpages.STORIES, drawn, strict=True):
        zone = zones[story.headline.split("：")[-1]]
        found = (zone["x"], zone["y"], zone["x"] + zone["w"], zone["y"] + zone["h"])
        assert iou(found, rectangle) >= MIN_IOU, (story.headline, found, rectangle)


def test_the_fields_of_the_trade_land_where_the_text_reader_puts_them(reportlab_page):
    [page] = read_pdf(reportlab_page[0], source="page.pdf")
    stories = {item.headline: item for item in page.items}

    first = stories["开展乡村振兴专题视察"]
    assert (first.kicker, first.dateline) == ("临洮县政协", "临洮")
    assert [credit.name for credit in first.credits] == ["马文军"]
    assert first.paragraphs[0].startswith("7月3日，临洮县政协")
    second = stories["推动中药材产业提质增效"]
    assert second.kicker == "岷县政协" and second.credits[0].title is None
    continued = stories["让协商成果转化为发展实效"]
    assert (continued.dateline, continued.continued_on_page) == ("", 2)
    assert continued.subheads == ["聚焦群众关切"] and len(continued.paragraphs) == 3
    photo = stories["漳县政协委员走进田间地头"]
    assert photo.kind == "photo" and photo.credits[0].contribution == "photo"
    assert [credit.name for credit in stories["召开文旅融合发展座谈会"].credits] == ["高磊", "李娜"]


def test_the_editor_in_charge_is_read_from_the_editors_line_in_the_page_head(reportlab_page, chromium_page):
    [page] = read_pdf(reportlab_page[0], source="page.pdf")
    [unnamed] = read_pdf(chromium_page[0], source="page.pdf")

    assert page.editor == "马琳"
    assert not any("编辑" in item.headline + (item.kicker or "") for item in page.items)
    assert unnamed.editor == ""


def test_what_is_not_a_pdf_is_refused_by_name():
    with pytest.raises(BulletinFileError) as raised:
        read_pdf(b"%PDF-1.4 not really", source="page-2.pdf")
    assert raised.value.source == "page-2.pdf" and "PDF" in raised.value.message
