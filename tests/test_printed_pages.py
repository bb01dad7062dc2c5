"""The paper as printed (数字报): a page's image with its published stories' zones as links, and the way around it."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from newsroom.models import Zone
from newsroom.services import pages, roles
from newsroom.services.workflow import Action, transition

from . import factories
from .pages import texts

pytestmark = pytest.mark.django_db

NOV_20 = datetime.date(2026, 11, 20)


@pytest.fixture
def paper(regions):
    """Issue 1190 of four pages: page 1 printed with zones, page 2 from text only, pages 3 and 4 with nothing public."""
    issue = factories.issue(number=1190, date=NOV_20, pages=4)
    front, second, third, fourth = issue.pages.order_by("number")
    factories.printed(front, blocks=[(0.05, 0.1, 0.55, 0.3), (0.62, 0.1, 0.33, 0.6)])
    lead = factories.published_story(headline="省政协召开常委会议", kicker="省政协", issue=issue, page=1, position=1)
    feature = factories.published_story(headline="委员履职在一线", issue=issue, page=1, position=2, continued_on_page=2)
    draft = factories.story(headline="还没签发的稿件", issue=issue, page=1, position=3)
    brief = factories.published_story(headline="二版短讯", issue=issue, page=2, position=1)
    factories.story(headline="四版草稿", issue=issue, page=4, position=1)
    factories.zone(lead, front, 0.05, 0.1, 0.55, 0.3)
    # An L-shaped story: two rectangles, one link.
    factories.zone(feature, front, 0.62, 0.1, 0.33, 0.3, position=1)
    factories.zone(feature, front, 0.05, 0.45, 0.9, 0.25, position=2)
    factories.zone(draft, front, 0.05, 0.75, 0.9, 0.2, position=3)
    return {
        "issue": issue,
        "pages": (front, second, third, fourth),
        "lead": lead,
        "feature": feature,
        "draft": draft,
        "brief": brief,
    }


def zone_links(html):
    """[(href, id, name, [rect attributes])] of the page's zone links, in order."""
    svg = re.search(r'<svg class="zones".*?</svg>', html, re.S)
    if svg is None:
        return []
    found = []
    for attrs, inside in re.findall(r"<a ([^>]*)>(.*?)</a>", svg.group(), re.S):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        rects = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', inside)
        found.append((values["href"], values["id"], values["aria-label"], rects))
    return found


def test_each_published_storys_zone_is_a_link_named_by_its_headline(client, paper):
    response = client.get("/issues/1190/pages/1/")
    html = response.content.decode()

    assert response.status_code == 200
    lead, feature = paper["lead"], paper["feature"]
    assert zone_links(html) == [
        (
            f"/articles/{lead.pk}/",
            f"zone-{lead.pk}",
            "省政协召开常委会议",
            [("5.000%", "10.000%", "55.000%", "30.000%")],
        ),
        (
            f"/articles/{feature.pk}/",
            f"zone-{feature.pk}",
            "委员履职在一线",
            [("62.000%", "10.000%", "33.000%", "30.000%"), ("5.000%", "45.000%", "90.000%", "25.000%")],
        ),
    ]
    assert texts(html, "section.page-stories li a") == ["省政协召开常委会议", "委员履职在一线"]
    assert texts(html, "h1") == ["第1版 · 第1版名"]


def test_the_page_image_comes_in_every_width_in_webp_and_jpeg(client, paper):
    html = client.get("/issues/1190/pages/1/").content.decode()
    picture = re.search(r'<div class="page-image">\s*(<picture>.*?</picture>)', html, re.S).group(1)

    assert re.search(
        r'<source type="image/webp" srcset="/media/pages/\S+\.webp 240w, /media/pages/\S+\.webp 800w"', picture
    )
    assert re.search(r'srcset="/media/pages/\S+\.jpg 240w, /media/pages/\S+\.jpg 800w"', picture)
    assert 'width="240" height="339"' in picture
    assert 'alt="第1版版面图"' in picture


def test_unpublished_stories_never_appear_on_the_page(client, paper, chief):
    scheduled = factories.publish(
        factories.story(headline="明天见报的稿件", issue=paper["issue"], page=1, position=4),
        when=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    withdrawn = factories.published_story(headline="撤下的稿件", issue=paper["issue"], page=1, position=5)
    transition(withdrawn, Action.WITHDRAW, actor=chief, comment="重复刊发")
    front = paper["pages"][0]
    factories.zone(scheduled, front, 0.1, 0.8, 0.2, 0.1)
    factories.zone(withdrawn, front, 0.4, 0.8, 0.2, 0.1)

    html = client.get("/issues/1190/pages/1/").content.decode()

    for story in (paper["draft"], scheduled, withdrawn):
        assert story.headline not in html
        assert f"zone-{story.pk}" not in html
        assert f"/articles/{story.pk}/" not in html
    assert len(zone_links(html)) == 2


def test_a_page_imported_from_text_shows_its_stories_without_an_image(client, paper):
    html = client.get("/issues/1190/pages/2/").content.decode()

    assert "<svg" not in html and 'class="page-image"' not in html
    assert texts(html, "section.page-stories li a") == ["二版短讯", "委员履职在一线"]
    assert "（接第1版）" in html
    assert "下载本版 PDF" not in html


def test_the_issues_pages_are_shown_small_text_pages_as_a_box_of_headlines(client, paper):
    html = client.get("/issues/1190/pages/2/").content.decode()

    # Pages 3 and 4 have neither an image nor a published story: there is nothing to open there.
    assert texts(html, "section.page-thumbs .page-name") == ["第1版 第1版名", "第2版 第2版名"]
    assert texts(html, "section.page-thumbs li.text-only ul.text-page li") == ["二版短讯", "委员履职在一线"]
    thumbs = re.search(r'<section class="page-thumbs".*?</section>', html, re.S).group()
    assert re.search(r'<a href="/issues/1190/pages/1/">\s*<picture><source type="image/webp" srcset="\S+ 240w"', thumbs)
    assert '<a href="/issues/1190/pages/2/" aria-current="page">' in thumbs


def test_previous_and_next_lead_to_the_neighbouring_pages(client, paper):
    first = client.get("/issues/1190/pages/1/").content.decode()
    second = client.get("/issues/1190/pages/2/").content.decode()

    assert texts(first, "nav.page-turn a") == ["下一版：第2版 第2版名 ›"]
    assert 'rel="next" href="/issues/1190/pages/2/"' in first
    assert texts(second, "nav.page-turn a") == ["‹ 上一版：第1版 第1版名"]
    assert 'rel="prev" href="/issues/1190/pages/1/"' in second


def test_the_page_pdf_is_offered_with_its_size(client, paper):
    html = client.get("/issues/1190/pages/1/").content.decode()

    assert texts(html, "a.page-pdf") == ["下载本版 PDF（18 Bytes）"]
    assert re.search(r'<a class="page-pdf" href="/media/pages/\d{4}/\d{2}/page-1[^"]*\.pdf" download>', html)


@pytest.mark.parametrize(
    "url",
    [
        "/issues/1190/pages/3/",  # no image, no published story
        "/issues/1190/pages/4/",  # only a draft
        "/issues/1190/pages/9/",
        "/issues/1191/pages/1/",
        "/issues/99999999999999999999/pages/1/",
    ],
)
def test_pages_with_nothing_to_show_are_not_found(client, paper, url):
    assert client.get(url).status_code == 404


def test_a_printed_page_of_an_issue_with_nothing_published_is_not_found(client, paper):
    issue = factories.issue(number=1191, pages=1)
    page = factories.printed(issue.pages.get())
    factories.zone(factories.story(headline="未发表", issue=issue, page=1), page, 0.1, 0.1, 0.5, 0.5)

    assert client.get("/issues/1191/pages/1/").status_code == 404


def test_images_of_a_replaced_pdf_are_not_shown(client, paper):
    front = paper["pages"][0]
    front.pdf_sha256 = "0" * 64
    front.save()

    html = client.get("/issues/1190/pages/1/").content.decode()

    assert "<picture>" not in html and "<svg" not in html
    assert texts(html, "section.page-stories li a") == ["省政协召开常委会议", "委员履职在一线"]


def test_a_story_links_to_its_zone_on_the_printed_page(client, paper):
    lead = paper["lead"]

    html = client.get(f"/articles/{lead.pk}/").content.decode()

    assert texts(html, "a.on-page") == ["在版面中查看"]
    assert f'href="/issues/1190/pages/1/#zone-{lead.pk}"' in html
    assert f'id="zone-{lead.pk}"' in client.get("/issues/1190/pages/1/").content.decode()


def test_a_story_without_a_zone_on_a_page_with_an_image_has_no_such_link(client, paper):
    brief = paper["brief"]
    factories.zone(brief, paper["pages"][1], 0.1, 0.1, 0.5, 0.5)  # page 2 has no image

    assert "在版面中查看" not in client.get(f"/articles/{brief.pk}/").content.decode()


def test_the_issue_links_each_page_as_printed_with_its_thumbnail(client, paper):
    html = client.get("/issues/1190/").content.decode()

    assert texts(html, "p.page-link a") == ["阅读第1版版面", "阅读第2版版面"]
    first, second = re.findall(r'<p class="page-link">(.*?)</p>', html, re.S)
    assert 'href="/issues/1190/pages/1/"' in first and "<picture>" in first
    assert 'href="/issues/1190/pages/2/"' in second and "<picture>" not in second


@pytest.fixture
def months(paper):
    """Issues on 13 November and 15 September 2026 besides 1190; one in December with nothing published."""
    earlier = factories.issue(number=1189, date=datetime.date(2026, 11, 13), pages=2)
    factories.published_story(headline="十三日稿件", issue=earlier, page=2)
    september = factories.issue(number=1180, date=datetime.date(2026, 9, 15), pages=1)
    factories.published_story(headline="九月稿件", issue=september, page=1)
    december = factories.issue(number=1195, date=datetime.date(2026, 12, 4), pages=1)
    factories.story(headline="十二月草稿", issue=december, page=1)


def test_the_page_has_the_month_of_its_issue_on_a_calendar(client, months):
    html = client.get("/issues/1190/pages/1/").content.decode()
    grid = re.search(r'<section class="calendar".*?</section>', html, re.S).group()

    assert texts(grid, "h2") == ["往期：2026年11月"]
    assert texts(grid, "td a") == ["13", "20"]
    # Each date opens its issue at the first page that has a story readers may see.
    assert '<a href="/issues/1189/pages/2/" aria-label="11月13日 第1189期">' in grid
    assert '<a href="/issues/1190/pages/1/" aria-label="11月20日 第1190期" class="current" aria-current="date">' in grid
    assert texts(grid, "nav.month-turn a") == ["‹ 2026年9月"]
    assert 'href="/issues/calendar/2026/9/"' in grid
    assert "1195" not in grid


def test_the_calendar_of_a_month_leads_to_the_months_around_it(client, months):
    response = client.get("/issues/calendar/2026/9/")
    html = response.content.decode()

    assert response.status_code == 200
    assert texts(html, "h1") == ["2026年9月各期"]
    assert texts(html, "td a") == ["15"]
    assert '<a href="/issues/1180/pages/1/" aria-label="9月15日 第1180期">' in html
    assert texts(html, "nav.month-turn a") == ["2026年11月 ›"]
    assert 'href="/issues/calendar/2026/11/"' in html


@pytest.mark.parametrize("url", ["/issues/calendar/2026/10/", "/issues/calendar/2026/12/", "/issues/calendar/2026/13/"])
def test_a_month_without_a_published_issue_is_not_found(client, months, url):
    assert client.get(url).status_code == 404


def test_the_issue_list_leads_to_the_calendar(client, months):
    assert texts(client.get("/issues/").content.decode(), "p.meta a") == ["按日期查找（日历）"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_zone_corrected_shows_at_once_on_the_cached_page(client, paper, settings, committed):
    settings.NEWSROOM_PAGE_CACHE = True
    front, brief = paper["pages"][0], paper["brief"]
    assert f"zone-{brief.pk}" not in client.get("/issues/1190/pages/1/").content.decode()

    lead_zone = Zone.objects.get(story=paper["lead"])
    lead_zone.w = 0.25
    chief = factories.staff("printed-chief", roles.CHIEF_EDITOR)
    with committed():
        for zone in [lead_zone, Zone(story=brief, page=front, x=0.7, y=0.8, w=0.2, h=0.1, position=4)]:
            pages.save_zone(zone, actor=chief)
    links = zone_links(client.get("/issues/1190/pages/1/").content.decode())

    assert [link[2] for link in links] == ["省政协召开常委会议", "委员履职在一线", "二版短讯"]
    assert links[0][3] == [("5.000%", "10.000%", "25.000%", "30.000%")]


def test_a_zone_outside_the_page_is_refused(paper):
    zone = Zone(story=paper["lead"], page=paper["pages"][0], x=0.8, y=0.1, w=0.3, h=0.2)

    with pytest.raises(ValidationError, match="超出了版面右边"):
        pages.save_zone(zone, actor=factories.staff("printed-chief", roles.CHIEF_EDITOR))
