"""Journey: a reader turns the printed paper's pages (数字报) on a laptop (1366 px) and on a phone (390 px)."""

import datetime

import pytest

from newsroom.services.regions import load_regions
from tests import factories

from .conftest import PHONE, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"viewport": {"width": 1366, "height": 900}}
ACCENT = "rgb(163, 18, 27)"
LINK = "rgb(11, 79, 138)"
# Where the stories are on the two pages (fractions of the page: x, y, w, h).
FRONT = [(0.05, 0.04, 0.9, 0.3), (0.05, 0.37, 0.43, 0.58), (0.52, 0.37, 0.43, 0.28)]
SECOND = [(0.05, 0.04, 0.6, 0.45), (0.68, 0.04, 0.27, 0.45), (0.05, 0.52, 0.9, 0.43)]


@pytest.fixture
def paper(transactional_db):
    """Issue 1190 (20 November 2026) printed on two pages, each story a zone; issue 1183 (30 October) from text."""
    load_regions()
    issue = factories.issue(number=1190, date=datetime.date(2026, 11, 20), pages=2)
    front, second = issue.pages.order_by("number")
    front.name, second.name = "要闻", "市县政协"
    factories.printed(front, widths=(500, 1000), blocks=FRONT)
    factories.printed(second, widths=(500, 1000), blocks=SECOND)
    headlines = {
        front: ["省政协召开十二届常委会议", "委员履职在一线", "张掖市政协调研农业高效节水"],
        second: ["民乐县政协开展文旅融合专题协商", "高台县政协委员视察城乡供水", "天水市政协助推传统产业改造"],
    }
    stories = {}
    for page, blocks in ((front, FRONT), (second, SECOND)):
        for position, (headline, block) in enumerate(zip(headlines[page], blocks, strict=True), start=1):
            story = factories.published_story(
                headline=headline, issue=issue, page=page.number, position=position, region=factories.region("zhangye")
            )
            factories.zone(story, page, *block, position=position)
            stories[headline] = story
    earlier = factories.issue(number=1183, date=datetime.date(2026, 10, 30), pages=1)
    factories.published_story(headline="十月的稿件", issue=earlier, page=1)
    return stories


def zone(page, story):
    return page.locator(f"#zone-{story.pk}")


def stroke(locator):
    return locator.locator("rect").first.evaluate("rect => getComputedStyle(rect).stroke")


def test_a_reader_turns_the_printed_pages_on_a_laptop(open_session, paper):
    reader = open_session("printed", LAPTOP)
    page = reader.page
    lead = paper["省政协召开十二届常委会议"]

    reader.go("/issues/1190/pages/1/")
    assert page.locator("h1").inner_text() == "第1版 · 要闻"
    image = page.locator(".page-image img")
    wait_until(page, "img => img.complete && img.naturalWidth > 0", image.element_handle())
    # The image and the page's stories side by side.
    picture, listing = image.bounding_box(), page.locator("section.page-stories").bounding_box()
    assert picture["x"] + picture["width"] <= listing["x"]
    assert listing["y"] < picture["y"] + picture["height"]
    assert page.locator("section.page-stories li a").all_inner_texts() == [
        "省政协召开十二届常委会议",
        "委员履职在一线",
        "张掖市政协调研农业高效节水",
    ]
    # A zone lies where its story is printed, and shows itself on hover and on focus.
    box = zone(page, lead).bounding_box()
    assert abs(box["x"] - (picture["x"] + 0.05 * picture["width"])) < 3
    assert abs(box["width"] - 0.9 * picture["width"]) < 3
    assert stroke(zone(page, lead)) == "none" or "rgba(0, 0, 0, 0)" in stroke(zone(page, lead))
    zone(page, lead).hover()
    assert stroke(zone(page, lead)) == LINK
    reader.check_accessible("a printed page at 1366 px")
    reader.shot("1366-page", full_page=False)
    zone(page, paper["委员履职在一线"]).focus()
    assert stroke(zone(page, paper["委员履职在一线"])) == LINK
    assert page.get_by_role("link", name="委员履职在一线").count() == 2  # the zone and the list

    # The zone opens its story; the story leads back to its zone, marked.
    reader.follow(zone(page, lead))
    assert page.locator("h1").inner_text() == "省政协召开十二届常委会议"
    reader.follow(page.get_by_role("link", name="在版面中查看"))
    assert page.url.endswith(f"/issues/1190/pages/1/#zone-{lead.pk}")
    assert page.evaluate("document.querySelector(':target').id") == f"zone-{lead.pk}"
    assert stroke(zone(page, lead)) == ACCENT
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    reader.shot("1366-zone-marked", full_page=False)

    # Next page, its zones, and back.
    reader.follow(page.get_by_role("link", name="下一版：第2版 市县政协 ›"))
    assert page.locator("h1").inner_text() == "第2版 · 市县政协"
    assert page.locator("svg.zones a").count() == 3
    reader.check_accessible("the second printed page at 1366 px")
    reader.follow(page.get_by_role("link", name="‹ 上一版：第1版 要闻"))
    assert page.locator("h1").inner_text() == "第1版 · 要闻"

    # The issue's pages as thumbnails; the calendar leads to October's issue.
    assert page.locator("section.page-thumbs img").count() == 2
    reader.follow(page.locator("section.calendar").get_by_role("link", name="‹ 2026年10月"))
    assert page.locator("h1").inner_text() == "2026年10月各期"
    reader.check_accessible("the calendar of October")
    reader.follow(page.get_by_role("link", name="10月30日 第1183期"))
    assert page.locator("h1").inner_text() == "第1版 · 第1版名"
    assert page.locator(".page-image").count() == 0, "a page from text has no image"
    assert page.locator("section.page-stories li a").all_inner_texts() == ["十月的稿件"]
    reader.follow(page.locator("section.calendar").get_by_role("link", name="2026年11月 ›"))
    reader.follow(page.get_by_role("link", name="11月20日 第1190期"))
    assert page.locator("h1").inner_text() == "第1版 · 要闻"


def test_a_reader_opens_a_printed_page_on_a_phone(open_session, paper):
    reader = open_session("printed", PHONE)
    page = reader.page
    story = paper["天水市政协助推传统产业改造"]

    reader.go("/issues/1190/pages/2/")
    image = page.locator(".page-image img")
    wait_until(page, "img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), "the page scrolls sideways"
    # The stories first, then the image scaled to the screen's width.
    listing, picture = page.locator("section.page-stories").bounding_box(), image.bounding_box()
    assert listing["y"] + listing["height"] <= picture["y"]
    assert 330 <= picture["width"] <= 390
    reader.check_accessible("a printed page on a phone")
    reader.shot("390-page")

    # A zone, small as it is on a phone, still opens its story.
    target = zone(page, story)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    reader.follow(target)
    assert page.locator("h1").inner_text() == "天水市政协助推传统产业改造"
    reader.follow(page.get_by_role("link", name="在版面中查看"))
    assert page.evaluate("document.querySelector(':target').id") == f"zone-{story.pk}"
    assert stroke(zone(page, story)) == ACCENT
    reader.shot("390-zone-marked", full_page=False)
