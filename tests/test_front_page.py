"""The front page: the editors' lead and top stories, the paper's own choice when nobody chose, and who may choose."""

import datetime
import re

import pytest
from django.core.cache import cache as django_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsroom import cache, content
from newsroom.models import FrontPlacement, Topic
from newsroom.services import front, topics
from newsroom.services.workflow import Action, transition

from . import factories
from .pages import texts

pytestmark = pytest.mark.django_db


def lead_of(client):
    return texts(client.get("/"), ".front-lead h2")


def top_of(client):
    return texts(client.get("/"), ".front-top article h3")


def test_the_pinned_lead_shows_with_its_photo_and_the_top_stories_in_the_editors_order(client, regions, chief):
    lead = factories.publish(factories.photo_story(headline="委员们走进田间地头", region=factories.region("zhangye")))
    first, second, third = (factories.published_story(headline=f"要闻{number}") for number in (1, 2, 3))
    factories.publish(factories.photo_story(headline="乡村振兴影像"))
    topic = Topic.objects.create(name="两会", slug="lianghui", description="全省两会的报道。")
    topics.add_to_topic([first], topic, actor=None)
    front.pin_lead(lead, actor=chief)
    front.order_top_stories([third, first, second], actor=chief)

    page = client.get("/").content.decode()

    assert texts(page, ".front-lead h2") == ["委员们走进田间地头"]
    lead_html = page[page.index('class="front-lead"') : page.index('class="front-top"')]
    assert re.search(
        r'<picture><source type="image/webp" srcset="[^"]+"[^>]*><img [^>]*alt="委员为群众量血压"', lead_html
    )
    assert "11月16日，委员们为群众义诊。" in texts(page, ".front-lead-para")[0]
    assert texts(page, ".front-top article h3")[:3] == ["要闻3", "要闻1", "要闻2"]
    assert texts(page, ".photo-strip .caption") == ["乡村振兴影像"]
    assert "<picture>" in page[page.index('class="photo-strip"') :]
    assert texts(page, ".front-topics li a") == ["两会"]
    assert texts(page, ".front-topics .meta") == ["1 篇"]


def test_a_chief_editor_changing_the_lead_in_the_admin_shows_at_once_on_the_cached_front_page(
    client, regions, chief, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE = True
    issue = factories.issue(number=1188)
    with django_capture_on_commit_callbacks(execute=True):
        factories.published_story(headline="原来的头条", issue=issue, page=1, position=1)
        later = factories.published_story(headline="总编选的头条", issue=issue, page=2, position=1)
    assert lead_of(client) == ["原来的头条"]
    assert lead_of(client) == ["原来的头条"]  # now from the cache

    desk = Client()
    desk.force_login(chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("admin:newsroom_story_changelist"), {"action": "pin_lead", "_selected_action": [later.pk]}
        )
    assert response.status_code == 302

    assert lead_of(client) == ["总编选的头条"]
    assert FrontPlacement.objects.get().story == later


def test_the_front_page_admin_replaces_the_lead_and_orders_the_top_stories(client, regions, chief):
    old, new, top = (factories.published_story(headline=name) for name in ("旧头条", "新头条", "第一条要闻"))
    front.pin_lead(old, actor=chief)
    desk = Client()
    desk.force_login(chief)

    add = reverse("admin:newsroom_frontplacement_add")
    assert desk.post(add, {"story": new.pk, "slot": "lead", "position": 0}).status_code == 302
    assert desk.post(add, {"story": top.pk, "slot": "top", "position": 1}).status_code == 302

    assert lead_of(client) == ["新头条"]
    assert top_of(client)[0] == "第一条要闻"
    assert "旧头条" not in top_of(client)[:1]


def test_the_paper_leads_with_page_ones_story_with_a_photo_then_its_other_stories(client, regions):
    issue = factories.issue(number=1188)
    factories.published_story(headline="二版稿件", issue=issue, page=2, position=1)
    factories.published_story(headline="头版第一篇", issue=issue, page=1, position=1)
    factories.publish(factories.photo_story(headline="头版图片新闻", issue=issue, page=1, position=3))
    factories.published_story(headline="头版第二篇", issue=issue, page=1, position=2)

    assert lead_of(client) == ["头版图片新闻"]
    assert top_of(client) == ["头版第一篇", "头版第二篇", "二版稿件"]


def test_the_issue_s_printed_pages_show_as_thumbnails_leading_to_the_digital_paper(client, regions):
    issue = factories.issue(number=1188)
    factories.published_story(headline="头版稿件", issue=issue, page=1, position=1)
    factories.published_story(headline="二版稿件", issue=issue, page=2, position=1)
    factories.printed(issue.pages.get(number=1))

    html = client.get("/").content.decode()
    page_one = html.split('id="front-page-1"')[0].rsplit('<section class="issue-page"', 1)[1]

    assert 'href="/issues/1188/pages/1/"' in page_one and "<picture>" in page_one
    assert texts(client.get("/"), "#front-page-1 a") == ["第1版 · 第1版名"]
    # A page printed from text only keeps its table of contents, with no picture.
    page_two = html.split('id="front-page-2"')[0].rsplit('<section class="issue-page"', 1)[1]
    assert "<picture>" not in page_two


def test_a_full_page_shows_its_first_stories_and_leads_to_the_issue_s_contents_for_the_rest(client, regions):
    issue = factories.issue(number=1188)
    for position in range(1, 10):
        factories.published_story(headline=f"二版第{position}篇", issue=issue, page=2, position=position)
    factories.published_story(headline="头版稿件", issue=issue, page=1, position=1)

    html = client.get("/").content.decode()
    page_two = html.split('id="front-page-2"')[1].split("</section>")[0]

    assert re.findall(r"<li><a [^>]*>([^<]+)</a>", page_two) == [f"二版第{position}篇" for position in range(1, 7)]
    assert 'href="/issues/1188/#page-2">本版共 9 篇</a>' in page_two


def test_a_half_published_issue_does_not_lead_the_front_page(client, regions):
    complete, half = factories.issue(number=1188), factories.issue(number=1189)
    factories.published_story(headline="上期头条", issue=complete, page=1, position=1)
    factories.published_story(headline="上期头版二条", issue=complete, page=1, position=2)
    factories.published_story(headline="新一期的一条简讯", issue=half, page=1, position=3)
    factories.story(headline="还在审的头条", issue=half, page=1, position=1)

    page = client.get("/")

    assert texts(page, ".front-lead h2") == ["上期头条"]
    assert texts(page, ".front-top article h3")[:2] == ["上期头版二条", "新一期的一条简讯"]
    assert texts(page, "#latest-issue-title") == ["最新一期：第1188期"]
    assert "还在审的头条" not in page.content.decode()


def test_an_issue_with_page_one_out_and_most_of_it_still_in_the_making_does_not_lead(client, regions):
    complete, half = factories.issue(number=1188), factories.issue(number=1189)
    factories.published_story(headline="上期头条", issue=complete, page=1)
    factories.published_story(headline="新一期头版独一条", issue=half, page=1)
    for page in (2, 3):
        factories.story(headline=f"新一期{page}版草稿", issue=half, page=page)

    assert lead_of(client) == ["上期头条"]
    assert texts(client.get("/"), "#latest-issue-title") == ["最新一期：第1188期"]

    factories.published_story(headline="新一期二版稿", issue=half, page=2)

    assert lead_of(client) == ["新一期头版独一条"]


def test_the_newest_complete_issue_leads_however_many_newer_issues_are_half_out(client, regions):
    complete = factories.issue(number=1180, pages=1)
    factories.published_story(headline="七期前的头条", issue=complete, page=1)
    for number in range(1181, 1188):
        half = factories.issue(number=number, pages=1)
        factories.published_story(headline=f"第{number}期先发的一条", issue=half, page=1, position=2)
        factories.story(headline=f"第{number}期还在审的头条", issue=half, page=1, position=1)

    assert lead_of(client) == ["七期前的头条"]
    assert texts(client.get("/"), "#latest-issue-title") == ["最新一期：第1180期"]


def test_a_scheduled_story_on_page_one_keeps_its_issue_from_leading_until_it_is_out(client, regions):
    complete, half = factories.issue(number=1188), factories.issue(number=1189)
    factories.published_story(headline="上期头条", issue=complete, page=1)
    factories.published_story(headline="先发的一条", issue=half, page=1, position=2)
    later = timezone.now() + datetime.timedelta(hours=3)
    factories.published_story(headline="定时发布的头条", issue=half, page=1, position=1, published_at=later)
    assert lead_of(client) == ["上期头条"]
    assert texts(client.get("/"), "#latest-issue-title") == ["最新一期：第1188期"]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later + datetime.timedelta(seconds=1))
        page = client.get("/")

    assert texts(page, "#latest-issue-title") == ["最新一期：第1189期"]
    assert texts(page, ".front-lead h2") == ["定时发布的头条"]


def test_without_issues_the_newest_story_with_a_photo_leads(client, regions):
    factories.publish(factories.photo_story(headline="较早的图片"))
    factories.published_story(headline="最新的文字稿")

    assert lead_of(client) == ["较早的图片"]
    assert top_of(client) == ["最新的文字稿"]


def test_a_withdrawn_lead_leaves_the_front_page_at_once(client, regions, chief):
    issue = factories.issue(number=1188)
    factories.published_story(headline="头版稿件", issue=issue, page=1)
    pinned = factories.published_story(headline="被撤的头条")
    front.pin_lead(pinned, actor=chief)
    assert lead_of(client) == ["被撤的头条"]

    transition(pinned, Action.WITHDRAW, actor=chief, comment="事实有误")

    page = client.get("/").content.decode()
    assert texts(page, ".front-lead h2") == ["头版稿件"]
    assert "被撤的头条" not in page


def test_only_published_stories_may_be_placed_and_none_other_ever_shows(client, regions, chief):
    draft = factories.story(headline="草稿")
    with pytest.raises(ValidationError, match="还没有发布"):
        front.pin_lead(draft, actor=chief)
    with pytest.raises(ValidationError, match="还没有发布"):
        front.add_top_story(draft, actor=chief)

    assert "草稿" not in client.get("/").content.decode()


def test_an_expired_placement_gives_way_to_the_paper_s_own_choice(client, regions, chief):
    issue = factories.issue(number=1188)
    factories.published_story(headline="头版稿件", issue=issue, page=1)
    pinned = factories.published_story(headline="一时的头条")
    front.pin_lead(pinned, actor=chief, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert lead_of(client) == ["头版稿件"]


def test_only_chief_editors_arrange_the_front_page(client, regions, contributor, editor, chief):
    story = factories.published_story(headline="想上头条")
    for person in (contributor, editor):
        with pytest.raises(PermissionDenied, match="不能编排头版"):
            front.pin_lead(story, actor=person)
        client.force_login(person)
        assert client.get(reverse("admin:newsroom_frontplacement_changelist")).status_code == 403
        client.post(reverse("admin:newsroom_story_changelist"), {"action": "pin_lead", "_selected_action": [story.pk]})
        assert not FrontPlacement.objects.exists()
        assert "头版编排" not in client.get(reverse("admin:index")).content.decode()

    client.force_login(chief)
    assert "头版编排" in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:newsroom_frontplacement_changelist")).status_code == 200


def test_the_front_page_of_an_empty_paper_says_so(client, db):
    page = client.get("/").content.decode()

    assert "还没有出版的报纸" in page
    assert 'class="front-lead"' not in page


def test_no_cached_page_outlives_a_placement_s_expiry(regions, chief, settings):
    settings.NEWSROOM_PAGE_SECONDS = 600
    story = factories.published_story(headline="两分钟的头条")
    assert cache.seconds_to_keep() == 600

    front.pin_lead(story, actor=chief, expires_at=timezone.now() + datetime.timedelta(minutes=2))
    content.forget()
    django_cache.clear()

    assert 100 < cache.seconds_to_keep() <= 120


def test_the_editors_choices_are_read_once_and_still_change_with_time_and_with_the_workflow(
    client, regions, chief, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_LOOKUP_CACHE = True
    issue = factories.issue(number=1188)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        factories.published_story(headline="头版稿件", issue=issue, page=1)
        pinned = factories.published_story(headline="两小时的头条")
        scheduled = factories.published_story(headline="定时的要闻", published_at=now + datetime.timedelta(hours=1))
        front.pin_lead(pinned, actor=chief, expires_at=now + datetime.timedelta(hours=2))
        front.add_top_story(scheduled, actor=chief)
    assert lead_of(client) == ["两小时的头条"]

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert texts(page, ".front-lead h2") == ["两小时的头条"]
    assert "定时的要闻" not in page
    assert not [query for query in captured if "newsroom_frontplacement" in query["sql"]]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=90))
        assert top_of(client)[0] == "定时的要闻"  # its time has come: no change was saved
        assert lead_of(client) == ["两小时的头条"]
        patch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=3))
        assert lead_of(client) == ["头版稿件"]  # the placement has expired

    with django_capture_on_commit_callbacks(execute=True):
        transition(scheduled, Action.WITHDRAW, actor=chief, comment="事实有误")
    assert "定时的要闻" not in client.get("/").content.decode()
