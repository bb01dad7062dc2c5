"""Text search: any run of two or more characters, the same answers on every database."""

import re

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
    # The test of each story in turn (a snippet finds its word with the same function, in the select list).
    function = {"postgresql": "strpos", "sqlite": "instr"}[connection.vendor]
    one_by_one = re.compile(function + r'\("newsroom_story"\."search_text", [^)]*\) > 0')
    assert one_by_one.search(first_sql)
    assert not one_by_one.search(rare_sql)


# Several words, a correspondent's name, results newest first and marked where they were found.


@pytest.fixture
def dispatches(regions):
    import datetime

    from django.utils import timezone

    from newsroom.services.stories import CreditInput

    wang = factories.correspondent("王熙乐")
    zhang = factories.correspondent("张子慧")
    day = datetime.timedelta(days=1)
    start = timezone.now() - 10 * day
    factories.published_story(
        kicker="张掖市政协",
        headline="召开党组(扩大)会议",
        paragraphs=("6月28日,张掖市政协召开会议,研究招商引资工作。",),
        credits=[CreditInput(wang)],
        published_at=start,
    )
    factories.published_story(
        headline="张掖 招商 推介会在兰州举行",
        paragraphs=("推介会签约项目十二个。",),
        published_at=start + day,
    )
    factories.published_story(
        headline="白银市政协在香港开展系列招商推介活动",
        paragraphs=("招商推介活动为期三天。",),
        credits=[CreditInput(zhang)],
        published_at=start + 2 * day,
    )
    factories.published_story(
        headline="张掖市政协调研湿地保护",
        paragraphs=("委员们走进黑河湿地。",),
        credits=[CreditInput(wang)],
        published_at=start + 3 * day,
    )
    return wang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Both words, in one field or in two (kicker and body); not a story with only one of them.
        ("张掖 招商", ["召开党组(扩大)会议", "张掖 招商 推介会在兰州举行"]),
        ("招商 张掖", ["召开党组(扩大)会议", "张掖 招商 推介会在兰州举行"]),
        # A full-width space between the words, and spaces around them.
        ("　张掖　招商引资 ", ["召开党组(扩大)会议"]),
        ("张掖 招商 香港", []),
        # A correspondent's name finds their stories, with another word too.
        ("王熙乐", ["召开党组(扩大)会议", "张掖市政协调研湿地保护"]),
        ("王熙乐 湿地", ["张掖市政协调研湿地保护"]),
        ("张子慧", ["白银市政协在香港开展系列招商推介活动"]),
    ],
)
def test_every_word_is_found_in_any_field(dispatches, text, expected):
    assert found(text) == sorted(expected)


def test_a_correspondents_stories_are_listed_newest_first(client, dispatches):
    response = client.get("/articles/", {"q": "王熙乐"})

    assert headlines(response) == ["张掖市政协调研湿地保护", "召开党组(扩大)会议"]


def test_two_words_are_listed_newest_first_and_marked_where_found(client, dispatches):
    from .pages import texts

    response = client.get("/articles/", {"q": "张掖 招商"})
    html = response.content.decode()

    assert headlines(response) == ["张掖 招商 推介会在兰州举行", "召开党组(扩大)会议"]
    assert '<a href="/articles/' in html
    assert "<mark>张掖</mark> <mark>招商</mark> 推介会在兰州举行" in html
    assert '<p class="kicker"><mark>张掖</mark>市政协</p>' in html
    snippets = texts(response, "article.story-item p.snippet")
    assert len(snippets) == 2
    # The first word in its context: the kicker, the headline and the body follow it.
    assert snippets[1].startswith("张掖市政协 召开党组(扩大)会议 6月28日,张掖市政协召开会议,研究招商引资工作。")
    assert "<mark>招商</mark>引资工作" in html


def test_a_snippet_is_cut_around_the_word_with_an_ellipsis(client, regions):
    long_before = "甲" * 100
    factories.published_story(headline="长文", paragraphs=(long_before + "冷链物流" + "乙" * 100,))

    response = client.get("/articles/", {"q": "冷链物流"})
    from .pages import texts

    (snippet,) = texts(response, "article.story-item p.snippet")
    assert snippet == "…" + "甲" * 20 + "冷链物流" + "乙" * 56 + "…"


def test_what_is_marked_is_escaped(client, regions):
    factories.published_story(headline="<b>招商</b> & 引资 <script>", paragraphs=("<i>正文</i>",))

    response = client.get("/articles/", {"q": "<b>招商 <script>"})
    html = response.content.decode()

    assert headlines(response) == ["<b>招商</b> & 引资 <script>"]
    assert "<mark>&lt;b&gt;招商</mark>&lt;/b&gt; &amp; 引资 <mark>&lt;script&gt;</mark>" in html
    assert "<script>" not in html.split("<main", 1)[1]
    assert "<b>" not in html and "<i>" not in html


def test_marks_keep_the_case_of_the_text(client, stories):
    response = client.get("/articles/", {"q": "smart"})

    assert "<mark>Smart</mark> City 建设座谈" in response.content.decode()


def test_a_one_character_word_asks_for_two(client, dispatches):
    response = client.get("/articles/", {"q": "张 招商"})

    assert "每个关键词至少要两个字" in response.content.decode()
    assert headlines(response) == []


def test_a_renamed_correspondent_is_found_by_the_new_name(dispatches):
    from newsroom.services import directory

    dispatches.name = "王喜乐"
    directory.save(dispatches)

    assert found("王熙乐") == []
    assert found("王喜乐") == ["召开党组(扩大)会议", "张掖市政协调研湿地保护"]


def test_changed_credits_change_what_finds_the_story(dispatches):
    from newsroom.services.stories import CreditInput, update_story

    story = Story.objects.get(headline="张掖市政协调研湿地保护")
    update_story(story, credits=[CreditInput(factories.correspondent("何金德"))])

    assert found("何金德") == ["张掖市政协调研湿地保护"]
    assert found("王熙乐") == ["召开党组(扩大)会议"]
    # An edit of the text keeps the names.
    update_story(story, headline="张掖市政协调研黑河湿地保护")
    assert found("何金德") == ["张掖市政协调研黑河湿地保护"]


def test_stories_saved_before_names_were_searched_are_found_by_them_after_migrating(dispatches):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("newsroom.migrations.0012_search_names")
    # As stories were stored before: their text without their people's names.
    for story in Story.objects.all():
        Story.objects.filter(pk=story.pk).update(search_text=story.compose_search_text())
    assert found("王熙乐") == []

    migration.add_names(apps, None)

    assert found("王熙乐") == ["召开党组(扩大)会议", "张掖市政协调研湿地保护"]
    assert found("张掖 招商") == ["召开党组(扩大)会议", "张掖 招商 推介会在兰州举行"]


def test_the_demo_papers_people_and_words_are_found_as_readers_type_them(client, settings):
    import io

    from newsroom.models import Correspondent

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())

    for person in Correspondent.objects.filter(credits__story__in=Story.objects.published()).distinct():
        theirs = Story.objects.published().by_correspondent(person).newest_first()
        response = client.get("/articles/", {"q": person.name})
        assert headlines(response) == [story.headline for story in theirs[:20]], person.name
    # Two words, wherever each is in a story: counted here from the fields themselves.
    from newsroom import body

    def holds(story, word):
        names = [credit.correspondent.name for credit in story.credits.all()]
        fields = [story.kicker, story.headline, story.subheadline, body.plain_text(story.body), *names]
        return any(word in field for field in fields)

    expected = [
        story.headline
        for story in Story.objects.published().newest_first()
        if holds(story, "张掖") and holds(story, "养老")
    ]
    assert expected
    assert headlines(client.get("/articles/", {"q": "张掖 养老"})) == expected
    # As a reader types them: two words of one story, and the name of the correspondent who wrote it.
    assert headlines(client.get("/articles/", {"q": "张掖 招商"})) == ["协商优化营商环境 助推招商项目落地"]
    assert headlines(client.get("/articles/", {"q": "王熙乐"})) == ["协商优化营商环境 助推招商项目落地"]


# Relevance: the reader may rank the stories with the words in their headline first.


@pytest.fixture
def ranked(regions):
    """Four stories holding 招商, a day apart; two with it in the headline (one in the kicker), two in the body only."""
    import datetime

    from django.utils import timezone

    day = datetime.timedelta(days=1)
    start = timezone.now() - 10 * day
    stories = [
        ("", "张掖市推介特色农产品", "会上签约招商项目八个。"),  # body only, oldest
        ("", "白银市政协招商推介会召开", "委员们出席。"),  # headline
        ("张掖招商", "项目签约仪式举行", "十个项目落地。"),  # kicker
        ("", "金昌市政协调研湿地", "招商与保护并重。"),  # body only, newest
    ]
    for number, (kicker, headline, paragraph) in enumerate(stories):
        factories.published_story(
            kicker=kicker, headline=headline, paragraphs=(paragraph,), published_at=start + number * day
        )


def test_search_lists_the_newest_first_unless_relevance_is_chosen(client, ranked):
    newest = client.get("/articles/", {"q": "招商"})
    relevant = client.get("/articles/", {"q": "招商", "order": "relevance"})

    assert headlines(newest) == [
        "金昌市政协调研湿地",
        "项目签约仪式举行",
        "白银市政协招商推介会召开",
        "张掖市推介特色农产品",
    ]
    # Headline (or kicker) matches first, newest first among them; then the body's matches, newest first.
    assert headlines(relevant) == [
        "项目签约仪式举行",
        "白银市政协招商推介会召开",
        "金昌市政协调研湿地",
        "张掖市推介特色农产品",
    ]


def test_relevance_counts_every_word_found_in_the_headline(client, ranked):
    response = client.get("/articles/", {"q": "张掖 招商", "order": "relevance"})

    # Both words in the kicker outrank one in the headline and the other in the body.
    assert headlines(response) == ["项目签约仪式举行", "张掖市推介特色农产品"]


def test_the_order_is_chosen_in_the_filter_form_not_listed_as_a_condition(client, ranked):
    from .pages import texts

    page = client.get("/articles/", {"q": "招商", "order": "relevance"}).content.decode()

    assert "排序" in texts(page, "label")
    assert '<option value="relevance" selected>相关度</option>' in page
    assert texts(page, ".active-filters a") == ["移除关键词：招商 ✕"]
    assert client.get("/articles/", {"q": "招商", "order": "random"}).status_code == 200
    assert "排序“random”无效" in client.get("/articles/", {"q": "招商", "order": "random"}).content.decode()


def test_relevance_without_words_is_newest_first(client, ranked):
    assert headlines(client.get("/articles/", {"order": "relevance"}))[0] == "金昌市政协调研湿地"
