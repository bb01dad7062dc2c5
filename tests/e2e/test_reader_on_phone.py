"""Journey 3: a reader on a phone browses the paper, follows a continued story and finds the feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from newsroom.demo.loader import load_demo

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def check_page(reader, what, step):
    """A page that reads on a phone: nothing wider than the screen, no accessibility faults; kept as a screenshot."""
    too_wide = reader.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not too_wide, f"{what} scrolls sideways"
    reader.check_accessible(what)
    reader.shot(step)


@pytest.fixture
def on_the_day_after_issue_1188(monkeypatch):
    """The reader opens the paper on 21 November 2026: 1188 is out, 1189 (27 November) is still scheduled.

    The demo paper's issues have fixed dates; without a fixed day, which issue is the latest would
    depend on when the test runs.
    """
    day = timezone.make_aware(datetime.datetime(2026, 11, 21, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: day)
    return day


def test_a_reader_on_a_phone(open_session, on_the_day_after_issue_1188):
    load_demo()
    reader = open_session("reader", PHONE)
    page = reader.page

    # The front page: the latest issue and the news by region, one column, nothing wider than the screen.
    reader.go("/")
    assert page.locator("h2#latest-issue-title").inner_text() == "最新一期：第1188期"
    assert page.get_by_role("link", name="小板凳上议大事").count() >= 1
    check_page(reader, "the front page", "1-front-page")

    # A region: 武威 from the front page's "各地新闻".
    reader.follow(page.locator(".by-region").get_by_role("link", name="武威市"))
    assert page.locator("h1").inner_text().startswith("武威市")
    assert page.get_by_role("link", name="小板凳上议大事").count() == 1
    check_page(reader, "a region's page", "2-region")

    # An issue's table of contents, through 往期.
    reader.follow(page.get_by_role("navigation", name="主导航").get_by_role("link", name="往期"))
    assert page.get_by_role("link", name="第1189期").count() == 0, "a scheduled issue is listed before its day"
    reader.follow(page.get_by_role("link", name="第1188期").first)
    assert "第1188期" in page.locator("h1").inner_text()
    contents = page.locator("main").inner_text()
    assert "图片新闻" in contents and "西和县政协委员助力乞巧文化传承" in contents
    check_page(reader, "an issue's table of contents", "3-issue-contents")

    # A photo report: its photos load, with their alt text and captions.
    reader.follow(page.get_by_role("link", name="西和县政协委员助力乞巧文化传承").first)
    assert page.locator("article.photo-report").count() == 1
    photos = page.locator(".gallery img")
    assert photos.count() == 2
    for index in range(photos.count()):
        photo = photos.nth(index)
        photo.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
        assert photo.get_attribute("alt")
        assert photo.bounding_box()["width"] <= PHONE["viewport"]["width"]
    assert page.locator(".gallery figcaption").count() == 2
    check_page(reader, "a photo report", "4-photo-report")

    # A story continued on page 3: the contents list it on page 1 and again on page 3.
    page.go_back()
    page.wait_for_load_state()
    reader.follow(page.get_by_role("link", name="小板凳上议大事").first)
    assert page.locator("h1").inner_text() == "小板凳上议大事"
    assert "转第3版" in page.locator("article header .meta").inner_text()
    assert page.locator(".body p").count() > 1
    check_page(reader, "a continued story", "5-continued-story")

    # The feed link in the footer gives the latest stories as RSS.
    feed_url = page.get_by_role("link", name="RSS 订阅").get_attribute("href")
    assert feed_url == page.locator("link[rel=alternate][type='application/rss+xml']").get_attribute("href")
    response = page.request.get(feed_url)
    assert response.ok and "xml" in response.headers["content-type"]
    titles = [item.findtext("title") for item in ET.fromstring(response.body()).iter("item")]
    assert "小板凳上议大事" in titles and "西和县政协委员助力乞巧文化传承" in titles
