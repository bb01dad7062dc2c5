"""Every kind of readers' page, on a laptop (1366 px) and a phone (390 px): accessible, nothing wider than the screen.

The demo paper as it stands on 21 November 2026. Each page is held to the readers' checks
(``accessibility.READER_FAULTS_JS``: heading order, labels, links told apart without colour);
the list's filter form folds under the count on a phone and stands open on a laptop; a date
never breaks across lines; Chinese and the digits among it are set in one face.
"""

import datetime

import pytest
from django.utils import timezone

from newsroom.demo.loader import load_demo
from newsroom.models import Bureau, Credit, Story, Topic

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def demo_paper(monkeypatch):
    day = timezone.make_aware(datetime.datetime(2026, 11, 21, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: day)
    load_demo()
    published = Story.objects.published()
    story = published.get(headline="小板凳上议大事")
    report = published.filter(kind=Story.Kind.PHOTO).first()
    bureau = Bureau.objects.filter(stories__in=published).select_related("region").first()
    person = Credit.objects.filter(story__in=published).select_related("correspondent").first().correspondent
    return {
        "the front page": "/",
        "every story": "/articles/",
        "a list filtered": f"/articles/?region={bureau.region.slug}&kind=article",
        "a search": "/articles/?q=政协 委员",
        "a search by relevance": "/articles/?q=政协&order=relevance",
        "a search that finds nothing": "/articles/?q=没有这个词",
        "a story": story.get_absolute_url(),
        "a photo report": report.get_absolute_url(),
        "the regions": "/regions/",
        "a region": bureau.region.get_absolute_url(),
        "the bureaus": "/bureaus/",
        "a bureau": bureau.get_absolute_url(),
        "a correspondent": person.get_absolute_url(),
        "the archive": "/issues/",
        "an issue": story.issue.get_absolute_url(),
        "a printed page": f"/issues/{story.issue.number}/pages/{story.page}/",
        "the calendar": f"/issues/calendar/{story.issue.date:%Y/%m}/",
        "the topics": "/topics/",
        "a topic": Topic.objects.filter(stories__in=published).first().get_absolute_url(),
    }


def walk(session, pages, width):
    page = session.page
    for what, path in pages.items():
        session.go(path)
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), f"{what} scrolls sideways"
        session.check_accessible(f"{what} at {width} px", reader=True)
    response = page.goto("/articles/999999/")
    assert response.status == 404
    session.check_accessible(f"the page that is not there at {width} px", reader=True)


@pytest.mark.parametrize(("size", "width"), [(LAPTOP, 1366), (PHONE, 390)], ids=["laptop", "phone"])
def test_every_public_page_is_accessible(open_session, demo_paper, size, width):
    session = open_session(f"every-page-{width}", size)

    walk(session, demo_paper, width)


def test_on_a_phone_the_filters_fold_under_the_count_and_dates_stay_whole(open_session, demo_paper):
    reader = open_session("filters-phone", PHONE)
    page = reader.page
    reader.go(demo_paper["a list filtered"])

    count = page.locator("h2.result-count")
    summary = page.locator("details.filters summary")
    assert summary.inner_text() == "筛选（2 项已选）"
    assert count.bounding_box()["y"] < summary.bounding_box()["y"]
    assert not page.locator("details.filters form").is_visible()
    # The first result shows on the first screen, under the folded form.
    first = page.locator("article.story-item").first
    assert first.bounding_box()["y"] < PHONE["viewport"]["height"]
    reader.shot("1-folded", full_page=False)

    summary.click()
    assert page.locator("details.filters form").is_visible()
    assert page.get_by_label("地区").is_visible()

    reader.go("/articles/")
    dates = page.locator("article.story-item time")
    assert dates.count() > 0
    for index in range(dates.count()):
        date = dates.nth(index)
        # One line box: 2026年11月20日 is never split between its 20 and its 日.
        assert date.evaluate("el => el.getClientRects().length") == 1, date.inner_text()
        assert date.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"


def test_on_a_laptop_the_filters_stand_open(open_session, demo_paper):
    reader = open_session("filters-laptop", LAPTOP)
    page = reader.page
    reader.go(demo_paper["a list filtered"])

    assert page.locator("details.filters form").is_visible()
    assert page.get_by_label("地区").is_visible()
    assert page.get_by_role("button", name="筛选").is_visible()
    reader.shot("1-open", full_page=False)


def test_chinese_and_its_digits_are_set_in_one_face(open_session, demo_paper):
    reader = open_session("fonts", LAPTOP)
    page = reader.page
    reader.go(demo_paper["a story"])
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]

    for selector in ["article header time", "article header .meta a[href^='/issues/']"]:
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        text = page.locator(selector).first.inner_text()
        assert any(character.isdigit() for character in text), text
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert len({font["familyName"] for font in fonts}) == 1, (selector, fonts)
