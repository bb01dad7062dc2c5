import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from newsroom.models import Story
from newsroom.services.stories import CreditInput

from . import factories
from .pages import headlines

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def archive(regions):
    """Stories in Zhangye (city and two counties), Tianshui and one draft, over two issues."""
    first, second = factories.issue(number=1187), factories.issue(number=1188)
    wang = factories.correspondent("王立新")
    li = factories.correspondent("李春梅", title="记者")
    day = lambda d: datetime.datetime(2026, 11, d, 8, 0, tzinfo=SHANGHAI)  # noqa: E731
    factories.published_story(
        headline="张掖市政协召开常委会",
        bureau=factories.bureau("zhangye"),
        issue=first,
        page=1,
        credits=[CreditInput(wang)],
        published_at=day(10),
    )
    factories.published_story(
        headline="民乐县政协调研种业",
        bureau=factories.bureau("minle"),
        issue=first,
        page=2,
        credits=[CreditInput(wang), CreditInput(li)],
        paragraphs=("委员们走进制种基地，了解玉米种子的生产情况。",),
        published_at=day(11),
    )
    factories.photo_story(headline="甘州区委员义诊", region=factories.region("ganzhou"), issue=second, page=4)
    factories.publish(
        factories.photo_story(headline="甘州区委员义诊", region=factories.region("ganzhou"), issue=second, page=4),
        when=day(18),
    )
    factories.published_story(
        headline="天水市政协视察老旧小区改造",
        bureau=factories.bureau("tianshui"),
        issue=second,
        page=2,
        credits=[CreditInput(li)],
        published_at=day(19),
    )
    factories.story(headline="张掖草稿不公开", bureau=factories.bureau("zhangye"), issue=second, page=1)
    return {"wang": wang, "li": li}


def test_lists_every_published_story_newest_first(client, archive):
    response = client.get("/articles/")

    assert response.status_code == 200
    assert headlines(response) == [
        "天水市政协视察老旧小区改造",
        "甘州区委员义诊",
        "民乐县政协调研种业",
        "张掖市政协召开常委会",
    ]


def test_a_draft_is_in_no_list(client, archive):
    for url in ["/articles/", "/articles/?region=zhangye", "/articles/?q=草稿", "/articles/?issue=1188"]:
        assert "张掖草稿不公开" not in client.get(url).content.decode()


def test_region_filter_on_a_prefecture_includes_its_counties(client, archive):
    response = client.get("/articles/?region=zhangye")

    assert sorted(headlines(response)) == sorted(["张掖市政协召开常委会", "民乐县政协调研种业", "甘州区委员义诊"])


def test_region_filter_on_a_county_holds_that_county_only(client, archive):
    assert headlines(client.get("/articles/?region=minle")) == ["民乐县政协调研种业"]


def test_region_filter_on_the_province_holds_all(client, archive):
    assert len(headlines(client.get("/articles/?region=gansu"))) == 4


def test_bureau_filter(client, archive):
    assert headlines(client.get("/articles/?bureau=minle")) == ["民乐县政协调研种业"]


def test_correspondent_filter_lists_their_pieces_once(client, archive):
    response = client.get(f"/articles/?correspondent={archive['li'].pk}")

    assert headlines(response) == ["天水市政协视察老旧小区改造", "民乐县政协调研种业"]
    assert "作者：李春梅" in response.content.decode()


def test_issue_filter(client, archive):
    assert sorted(headlines(client.get("/articles/?issue=1187"))) == ["张掖市政协召开常委会", "民乐县政协调研种业"]


def test_kind_filter(client, archive):
    assert headlines(client.get("/articles/?kind=photo")) == ["甘州区委员义诊"]
    assert "甘州区委员义诊" not in headlines(client.get("/articles/?kind=article"))


def test_date_filters_take_whole_days(client, archive):
    response = client.get("/articles/?date_after=2026-11-11&date_before=2026-11-18")

    assert headlines(response) == ["甘州区委员义诊", "民乐县政协调研种业"]


def test_text_search_looks_in_the_body(client, archive):
    assert headlines(client.get("/articles/?q=制种基地")) == ["民乐县政协调研种业"]


def test_filters_combine_and_narrow(client, archive):
    response = client.get("/articles/?region=zhangye&kind=article&date_after=2026-11-11")

    assert headlines(response) == ["民乐县政协调研种业"]


def test_the_form_shows_the_active_filters_with_a_way_to_remove_each(client, archive):
    page = client.get("/articles/?region=zhangye&kind=photo").content.decode()

    assert "当前筛选" in page
    assert "地区：张掖市" in page
    assert "类型：摄影报道" in page
    assert '<option value="zhangye" selected>' in page
    assert 'href="?kind=photo"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=atlantis", "没有找到地区“atlantis”。"),
        ("bureau=nowhere", "没有找到记者站“nowhere”。"),
        ("correspondent=999999", "没有找到编号为“999999”的作者。"),
        ("correspondent=abc", "作者"),
        ("issue=abc", "期号应是数字。"),
        ("issue=-3", "期号"),
        ("kind=video", "类型“video”无效"),
        ("date_after=2026-13-45", "起始日期应写成 年-月-日"),
        ("date_before=yesterday", "截止日期应写成 年-月-日"),
    ],
)
def test_a_bad_value_gets_a_visible_message_and_an_empty_list(client, archive, query, message):
    response = client.get(f"/articles/?{query}")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "筛选条件有误" in response.content.decode()
    assert headlines(response) == []


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999"])
def test_a_bad_page_number_shows_a_page_that_exists_and_says_so(client, archive, page):
    response = client.get(f"/articles/?page={page}")

    assert response.status_code == 200
    assert "已显示" in response.content.decode()
    assert len(headlines(response)) == 4


def test_pages_hold_twenty_and_keep_the_filters_in_their_links(client, regions):
    for number in range(25):
        factories.published_story(
            headline=f"稿件{number:02d}",
            region=factories.region("zhangye"),
            published_at=timezone.now() - datetime.timedelta(minutes=number),
        )

    first = client.get("/articles/?region=zhangye")
    second = client.get("/articles/?region=zhangye&page=2")

    assert len(headlines(first)) == 20
    assert headlines(second) == [f"稿件{n:02d}" for n in range(20, 25)]
    assert 'href="?region=zhangye&amp;page=2"' in first.content.decode()


def test_every_story_in_a_list_links_to_its_page(client, archive):
    response = client.get("/articles/")
    page = response.content.decode()

    published = list(Story.objects.published())
    assert len(headlines(page)) == len(published) > 0
    for story in published:
        assert f'<h3><a href="/articles/{story.pk}/">{story.headline}</a></h3>' in page


def test_the_search_box_keeps_what_was_typed_and_writes_it_escaped(client, archive):
    typed = '"><script>alert(1)</script> 张掖 & 酒泉'
    page = client.get("/articles/", {"q": typed}).content.decode()

    assert "<script>alert(1)" not in page
    box = re.search(r'<input[^>]*id="id_q"[^>]*>', page).group(0)
    attributes = dict(InputReader.attributes_of(box))
    assert attributes["value"] == typed
    assert attributes["type"] == "text"
    assert 'maxlength="100"' in box and 'minlength="2"' in box


class InputReader(HTMLParser):
    """The attributes of one tag, unescaped as a browser reads them."""

    @classmethod
    def attributes_of(cls, tag):
        reader = cls()
        reader.feed(tag)
        return reader.found

    def handle_starttag(self, tag, attrs):
        self.found = attrs
