"""Topics (专题): their pages, feeds and sitemap for readers; putting stories in them at the desk."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Story, Topic
from newsroom.services import topics
from newsroom.services.workflow import Action, transition

from . import factories
from .pages import headlines, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def lianghui(regions, chief):
    """两会, with two published stories, a draft, a scheduled story and a withdrawn one."""
    topic = Topic.objects.create(name="两会", slug="lianghui", description="全省政协全会的报道。", position=1)
    stories = [
        factories.published_story(headline="委员热议政府工作报告", region=factories.region("zhangye")),
        factories.published_story(headline="大会发言聚焦乡村振兴"),
        factories.story(headline="两会草稿"),
        factories.published_story(headline="定时的两会稿", published_at=timezone.now() + datetime.timedelta(days=1)),
        factories.published_story(headline="撤下的两会稿"),
    ]
    transition(stories[-1], Action.WITHDRAW, actor=chief, comment="重复刊发")
    topics.add_to_topic(stories, topic, actor=None)
    factories.published_story(headline="不在专题的稿件")
    return topic


def test_a_topic_page_lists_its_published_stories_newest_first(client, lianghui):
    response = client.get("/topics/lianghui/")

    assert response.status_code == 200
    assert texts(response, "h1") == ["两会"]
    assert texts(response, ".topic-description") == ["全省政协全会的报道。"]
    assert headlines(response) == ["大会发言聚焦乡村振兴", "委员热议政府工作报告"]
    assert 'href="/feeds/topics/lianghui/"' in response.content.decode()


def test_a_topic_page_is_paginated_like_the_other_lists(client, regions):
    topic = Topic.objects.create(name="提案办理", slug="tian")
    stories = [factories.published_story(headline=f"提案稿{number}") for number in range(23)]
    topics.add_to_topic(stories, topic, actor=None)

    first, second = client.get("/topics/tian/"), client.get("/topics/tian/?page=2")

    assert len(headlines(first)) == 20 and len(headlines(second)) == 3
    assert texts(first, ".pagination span") == ["第 1 / 2 页，共 23 篇"]


def test_the_topics_index_and_the_navigation_name_the_active_topics(client, lianghui):
    Topic.objects.create(name="停用的专题", slug="old", active=False)

    index = client.get("/topics/")

    assert texts(index, ".topic-index h2") == ["两会"]
    assert texts(index, ".topic-index .meta")[0].startswith("2 篇")
    assert 'href="/topics/"' in client.get("/articles/").content.decode()
    assert client.get("/topics/old/").status_code == 200
    assert client.get("/topics/nothing/").status_code == 404


def test_a_topic_with_a_chinese_address_opens(client, regions):
    Topic.objects.create(name="委员履职", slug="委员履职")

    assert texts(client.get("/topics/委员履职/"), "h1") == ["委员履职"]


def test_a_topic_s_feed_carries_its_published_stories(client, lianghui):
    response = client.get("/feeds/topics/lianghui/")
    channel = ET.fromstring(response.content).find("channel")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert channel.findtext("title").endswith("专题：两会")
    assert [item.findtext("title") for item in channel.iter("item")] == ["大会发言聚焦乡村振兴", "委员热议政府工作报告"]
    assert client.get("/feeds/topics/nothing/").status_code == 404


def test_the_sitemap_lists_the_active_topics(client, lianghui):
    Topic.objects.create(name="停用的专题", slug="old", active=False)

    index = client.get("/sitemap.xml").content.decode()
    section = ET.fromstring(client.get("/sitemap-topics.xml").content)
    names = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    assert "sitemap-topics.xml" in index
    assert [loc.text for loc in section.iter(f"{names}loc")] == ["http://testserver/topics/lianghui/"]
    assert "http://testserver/topics/" in client.get("/sitemap-pages.xml").content.decode()


def test_editors_file_stories_in_a_topic_from_the_story_list(client, regions, editor):
    topic = Topic.objects.create(name="委员履职", slug="lvzhi")
    story = factories.published_story(headline="委员走访企业")
    client.force_login(editor)

    response = client.post(
        reverse("admin:newsroom_story_changelist"),
        {"action": "add_to_topic", "topic": topic.pk, "_selected_action": [story.pk]},
        follow=True,
    )

    assert "已把 1 篇稿件归入专题“委员履职”" in response.content.decode()
    assert headlines(Client().get("/topics/lvzhi/")) == ["委员走访企业"]

    client.post(
        reverse("admin:newsroom_story_changelist"),
        {"action": "remove_from_topic", "topic": topic.pk, "_selected_action": [story.pk]},
    )
    assert not topic.stories.exists()


def test_the_story_list_action_asks_for_a_topic_when_none_is_chosen(client, regions, editor):
    story = factories.story(headline="待归类的稿件")
    client.force_login(editor)

    response = client.post(
        reverse("admin:newsroom_story_changelist"),
        {"action": "add_to_topic", "topic": "", "_selected_action": [story.pk]},
        follow=True,
    )

    assert "请先在“专题”框中选定一个专题" in response.content.decode()


def test_editors_choose_a_story_s_topics_on_its_form_and_correspondents_only_see_them(client, regions, editor):
    topic = Topic.objects.create(name="两会", slug="lianghui")
    author = factories.staff("author", "通讯员/记者")
    story = factories.story(headline="会场内外", created_by=author)
    transition(story, Action.SUBMIT, actor=author)
    client.force_login(editor)
    change = reverse("admin:newsroom_story_change", args=[story.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "topics": [topic.pk],
            "body": "会场内外一段。",
            "credits-TOTAL_FORMS": 0,
            "credits-INITIAL_FORMS": 0,
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "transitions-TOTAL_FORMS": 0,
            "transitions-INITIAL_FORMS": 0,
            "zones-TOTAL_FORMS": 0,
            "zones-INITIAL_FORMS": 0,
        }
    )
    data = {name: value for name, value in data.items() if name not in ("bureau", "region", "issue", "event_date")}

    response = client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(story.topics.all()) == [topic]
    with pytest.raises(PermissionDenied, match="不能把稿件归入专题"):
        topics.add_to_topic([story], topic, actor=author)

    draft = factories.story(headline="作者的草稿", created_by=author)
    draft.topics.add(topic)
    client.force_login(author)
    own = client.get(reverse("admin:newsroom_story_change", args=[draft.pk]))
    assert "topics" not in own.context["adminform"].form.fields
    assert "两会" in own.content.decode()


def test_editors_make_topics_and_correspondents_cannot(client, regions, editor, contributor):
    client.force_login(contributor)
    assert client.get(reverse("admin:newsroom_topic_add")).status_code == 403

    client.force_login(editor)
    response = client.post(
        reverse("admin:newsroom_topic_add"),
        {"name": "提案办理", "slug": "tian", "description": "提案从提出到办复。", "position": 3, "active": "on"},
    )

    assert response.status_code == 302
    assert texts(Client().get("/topics/"), ".topic-index h2") == ["提案办理"]


def test_a_topic_page_shows_no_story_readers_may_not_see(client, lianghui):
    page = client.get("/topics/lianghui/").content.decode()

    assert not any(word in page for word in ("两会草稿", "定时的两会稿", "撤下的两会稿", "不在专题的稿件"))
    assert Story.objects.in_topic(lianghui).count() == 5
