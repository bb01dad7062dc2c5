"""The front page in a browser: the width of a laptop used, a phone read top-down lead first; topics reachable."""

import datetime

import pytest
from django.utils import timezone

from newsroom.demo.loader import load_demo

from .conftest import PHONE, SCREENSHOTS, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def after_issue_1189(monkeypatch):
    """A day after issue 1189 came out: the chief editor's lead, on its page 1, is public."""
    day = timezone.make_aware(datetime.datetime(2026, 11, 28, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: day)
    return day


def screenshot(page, name):
    """The whole page, every picture in it loaded (lazy ones are told to load at once)."""
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach((img) => { img.loading = 'eager'; })")
    wait_until(page, "() => [...document.images].every((img) => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_front_page_on_a_laptop_and_on_a_phone(open_session, after_issue_1189):
    load_demo()

    wide = open_session("front-laptop", LAPTOP)
    page = wide.page
    wide.go("/")
    lead, top = box(page, ".front-lead"), box(page, ".front-top")
    main = box(page, "main")
    assert page.locator(".front-lead h2").inner_text() == "协商推动新能源产业与装备制造协同发展"
    assert page.locator(".front-lead img").evaluate("img => img.complete && img.naturalWidth > 0")
    # Side by side, the lead wider, and together they fill the page's width: no half-empty column.
    assert abs(lead["y"] - top["y"]) < 2 and lead["width"] > top["width"]
    assert lead["width"] + top["width"] > 0.9 * (main["width"] - 32)
    strip = box(page, ".photo-strip")
    assert strip["width"] > 0.9 * (main["width"] - 32)
    assert page.locator(".photo-strip img").count() == 4
    assert page.locator(".issue-page").count() >= 1
    wide.check_accessible("the front page at 1366 px")
    screenshot(page, "front-page-1366.png")

    wide.follow(page.locator(".front-topics").get_by_role("link", name="委员履职"))
    assert page.locator("h1").inner_text() == "委员履职"
    assert page.locator("article.story-item").count() == 5
    wide.check_accessible("a topic's page")
    wide.follow(page.get_by_role("navigation", name="主导航").get_by_role("link", name="专题"))
    assert page.locator(".topic-index h2").all_inner_texts() == ["两会", "委员履职", "提案办理"]
    wide.check_accessible("the topics")

    phone = open_session("front-phone", PHONE)
    page = phone.page
    phone.go("/")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), (
        "the front page scrolls sideways"
    )
    # One column, top-down: the lead first, then the top stories, the photos, the topics, the issue, the regions.
    order = [
        box(page, selector)["y"]
        for selector in (".front-lead", ".front-top", ".photo-strip", ".front-topics", ".latest-issue", ".by-region")
    ]
    assert order == sorted(order)
    assert box(page, ".front-lead h2")["y"] < 844, "the lead's headline is on the first screen"
    phone.check_accessible("the front page on a phone")
    screenshot(page, "front-page-390.png")
