"""Text search: any run of two or more characters, the same answers on every database."""

import pytest
from django.core.management import call_command
from django.db import connection

from newsroom.models import Story

from . import factories
from .pages import headlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(regions):
    factories.published_story(headline="民乐县政协调研制种产业", paragraphs=("委员们走进制种基地。",))
    factories.published_story(headline="招商引资工作推进会", kicker="天水市政协", paragraphs=("会议听取了招商情况。",))
    factories.published_story(headline="Smart City 建设座谈", paragraphs=("讨论 100% 覆盖与 a_b 方案。",))
    factories.story(headline="政协草稿不公开", paragraphs=("招商引资草稿。",))


def found(text):
    by_index = sorted(Story.objects.published().search(text).values_list("headline", flat=True))
    # The other way to the same stories: each story's text tested in turn (pagination picks one).
    one_by_one = sorted(Story.objects.published().search(text).walking().values_list("headline", flat=True))
    assert by_index == one_by_one
    return by_index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政协", ["招商引资工作推进会", "民乐县政协调研制种产业"]),
        ("制种", ["民乐县政协调研制种产业"]),
        ("招商引资", ["招商引资工作推进会"]),
        ("天水市政协", ["招商引资工作推进会"]),
        ("smart city", ["Smart City 建设座谈"]),
        ("SMART CITY", ["Smart City 建设座谈"]),
        ("cI", ["Smart City 建设座谈"]),
        ("100%", ["Smart City 建设座谈"]),
        ("a_b", ["Smart City 建设座谈"]),
        ("a%b", []),
        ("资工作推", ["招商引资工作推进会"]),
        ("不存在的词", []),
    ],
)
def test_search_finds_every_substring_and_only_published_stories(stories, text, expected):
    assert found(text) == expected


def test_search_follows_an_edited_body(stories):
    from newsroom import body
    from newsroom.services.stories import update_story

    story = Story.objects.get(headline="招商引资工作推进会")
    update_story(story, body=body.make([("paragraph", "改为讨论冷链物流。")]))

    assert found("冷链物流") == ["招商引资工作推进会"]
    assert found("招商情况") == []


def test_search_forgets_a_deleted_story(stories):
    Story.objects.filter(headline="招商引资工作推进会").delete()

    assert found("招商引资") == []


def test_a_one_character_query_asks_for_two(client, stories):
    response = client.get("/articles/?q=政")

    assert "关键词至少要两个字。" in response.content.decode()
    assert headlines(response) == []


def test_search_reaches_stories_written_in_bulk(regions):
    from newsroom import body

    story = Story(headline="批量写入的稿件", body=body.make([("paragraph", "黄河流域生态保护。")]))
    story.search_text = story.compose_search_text()
    Story.objects.bulk_create([story])

    assert list(Story.objects.search("生态保护").values_list("headline", flat=True)) == ["批量写入的稿件"]
    call_command("check")


def test_stories_saved_before_search_text_was_lower_case_are_found_after_migrating(regions):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("newsroom.migrations.0007_search_text_lower_case")
    story = Story(headline="WTO 规则讲座")
    Story.objects.bulk_create([story])
    Story.objects.filter(pk=story.pk).update(search_text="WTO 规则讲座")

    migration.lower_case(apps, None)

    assert Story.objects.get(pk=story.pk).search_text == "wto 规则讲座"
    assert list(Story.objects.search("WTO").values_list("headline", flat=True)) == ["WTO 规则讲座"]


def headlines_and_sql(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return headlines(response), " ".join(query["sql"] for query in captured.captured_queries)


def test_a_common_word_is_found_by_walking_the_newest_stories_and_a_rare_one_from_the_index(
    client, regions, monkeypatch
):
    import datetime

    from django.utils import timezone

    from newsroom.speed import paginator

    # As on an archive a hundred times larger: a walk may test 100 of these 60 stories, not 2,000.
    monkeypatch.setattr(paginator, "WALK_LIMIT", 100)

    start = timezone.now() - datetime.timedelta(days=100)
    for day in range(60):
        # Two stories in three name the committee; one story in sixty names the canal.
        words = ("政协委员" if day % 3 else "群众") + ("引洮工程" if day == 30 else "")
        factories.published_story(headline=f"第{day}天 {words}", published_at=start + datetime.timedelta(days=day))
    newest_first = [f"第{day}天 政协委员" for day in reversed(range(60)) if day % 3]

    first_page, first_sql = headlines_and_sql(client, "/articles/?q=政协委员")
    second_page, second_sql = headlines_and_sql(client, "/articles/?q=政协委员&page=2")
    rare, rare_sql = headlines_and_sql(client, "/articles/?q=引洮工程")

    assert first_page + second_page == newest_first
    assert rare == ["第30天 群众引洮工程"]
    one_by_one = {"postgresql": "strpos(", "sqlite": "instr("}[connection.vendor]
    assert one_by_one in first_sql
    assert one_by_one not in rare_sql
