import datetime

import pytest

from newsroom.services.stories import CreditInput

from . import factories
from .pages import attributes_of, heading_levels, headlines, skipped_levels, texts

pytestmark = pytest.mark.django_db


def test_front_page_shows_the_latest_issue_and_news_by_region(client, regions):
    older, latest = factories.issue(number=1187), factories.issue(number=1188)
    factories.published_story(headline="上期稿件", issue=older, page=1, region=factories.region("tianshui"))
    factories.published_story(headline="本期头条", issue=latest, page=1, region=factories.region("minle"))
    factories.story(headline="下期草稿", issue=factories.issue(number=1189), page=1)

    response = client.get("/")
    page = response.content.decode()

    assert texts(page, "#latest-issue-title") == ["最新一期：第1188期"]
    assert texts(page, ".front-lead h2") == ["本期头条"]
    assert texts(page, ".latest-issue .issue-page li") == ["本期头条"]
    assert texts(page, ".region-group .region-name") == ["张掖市", "天水市"]
    assert "下期草稿" not in page


def test_front_page_of_an_empty_paper_says_so(client, db):
    assert "还没有出版的报纸" in client.get("/").content.decode()


def test_region_page_lists_its_stories_and_its_counties(client, regions):
    factories.published_story(headline="高台稿", region=factories.region("gaotai"))
    factories.published_story(headline="天水稿", region=factories.region("tianshui"))

    response = client.get("/regions/zhangye/")
    page = response.content.decode()

    assert headlines(page) == ["高台稿"]
    assert 'href="/regions/minle/"' in page
    assert 'href="/feeds/regions/zhangye/"' in page


def test_unknown_region_is_not_found(client, regions):
    response = client.get("/regions/atlantis/")

    assert response.status_code == 404
    assert texts(response, "h1") == ["找不到这个页面"]
    assert 'href="/articles/"' in response.content.decode()


def test_bureau_page_lists_the_bureaus_dispatches(client, regions):
    factories.published_story(headline="民勤稿", bureau=factories.bureau("minqin"))
    factories.published_story(headline="武威稿", bureau=factories.bureau("wuwei"))

    response = client.get("/bureaus/minqin/")

    assert texts(response, "h1") == ["民勤县记者站"]
    assert headlines(response) == ["民勤稿"]


def test_correspondent_page_lists_their_published_pieces_only(client, regions):
    person = factories.correspondent("周文华", unit="白银市政协")
    factories.published_story(headline="已发表", credits=[CreditInput(person)])
    factories.story(headline="还是草稿", credits=[CreditInput(person)])

    response = client.get(person.get_absolute_url())
    page = response.content.decode()

    assert headlines(page) == ["已发表"]
    assert "周文华" in page and "白银市政协" in page
    assert "还是草稿" not in page


def test_a_correspondent_with_nothing_published_has_no_public_page(client, regions):
    person = factories.correspondent("钱多多")
    factories.story(credits=[CreditInput(person)])

    assert client.get(person.get_absolute_url()).status_code == 404


def test_issue_page_is_a_table_of_contents_page_by_page(client, regions):
    issue = factories.issue(number=1187)
    factories.published_story(headline="头版长文", issue=issue, page=1, continued_on_page=3, position=1)
    factories.published_story(headline="二版短讯", issue=issue, page=2, kicker="民乐县政协", position=2)
    factories.story(headline="二版草稿", issue=issue, page=2, position=3)

    page = client.get("/issues/1187/").content.decode()

    assert page.index("第1版") < page.index("头版长文") < page.index("第2版") < page.index("二版短讯")
    assert page.index("第3版") < page.index("（接第1版）")
    assert "二版草稿" not in page


def test_an_issue_with_nothing_published_is_not_found(client, regions):
    issue = factories.issue(number=1189)
    factories.story(issue=issue, page=1)

    assert client.get("/issues/1189/").status_code == 404


def test_issue_archive_lists_published_issues_with_their_counts(client, regions):
    first, second = factories.issue(number=1187, date=datetime.date(2026, 11, 13)), factories.issue(number=1188)
    factories.published_story(issue=first, page=1)
    factories.published_story(issue=first, page=2)
    factories.story(issue=first, page=3)
    factories.story(issue=second, page=1)

    response = client.get("/issues/")

    assert texts(response, ".issue-list li") == ["第1187期 2026年11月13日 2 篇"]


def test_pages_declare_chinese_and_fit_a_phone(client, db):
    page = client.get("/").content.decode()

    assert '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page


def test_front_page_shows_the_first_page_of_the_latest_issue_and_links_its_contents(client, regions):
    issue = factories.issue(number=1188)
    factories.published_story(headline="二版稿件", issue=issue, page=2)
    factories.published_story(headline="头版稿件", issue=issue, page=1)

    response = client.get("/")

    assert texts(response, ".front-lead h2") == ["头版稿件"]
    assert texts(response, ".front-top article h3") == ["二版稿件"]
    assert texts(response, ".latest-issue .issue-page h3") == ["第1版 · 第1版名", "第2版 · 第2版名"]
    assert 'href="/issues/1188/"' in response.content.decode()


def test_links_follow_the_address_the_site_is_served_under(regions):
    # Behind a proxy that serves the paper under /paper/ (SCRIPT_NAME), and at the root again.
    from django.urls import set_script_prefix

    story = factories.published_story(region=factories.region("minle"))
    try:
        set_script_prefix("/paper/")
        assert story.get_absolute_url() == f"/paper/articles/{story.pk}/"
        assert story.region.get_absolute_url() == "/paper/regions/minle/"
    finally:
        set_script_prefix("/")
    assert story.get_absolute_url() == f"/articles/{story.pk}/"
    assert story.region.get_absolute_url() == "/regions/minle/"


# What every reader's list shows the same way: headings in order, its filters, its bureaus.


@pytest.fixture
def listed(regions):
    person = factories.correspondent("王熙乐", bureau=factories.bureau("jiuquan"))
    issue = factories.issue(number=1190)
    story = factories.published_story(
        headline="酒泉稿",
        region=factories.region("jiuquan"),
        bureau=factories.bureau("jiuquan"),
        credits=[CreditInput(person)],
        issue=issue,
        page=1,
    )
    return {"person": person, "story": story}


@pytest.mark.parametrize(
    "url",
    [
        "/articles/",
        "/articles/?q=酒泉",
        "/articles/?region=jiuquan&kind=article",
        "/articles/?q=没有的词",
        "/regions/",
        "/regions/jiuquan/",
        "/bureaus/",
        "/bureaus/jiuquan/",
        "/correspondents/{person}/",
        "/issues/",
        "/issues/1190/",
        "/articles/{story}/",
    ],
)
def test_headings_go_down_one_level_at_a_time(client, listed, url):
    response = client.get(url.format(person=listed["person"].pk, story=listed["story"].pk))

    assert response.status_code == 200
    assert skipped_levels(response) == [], heading_levels(response)
    assert heading_levels(response)[0] == 1


def test_the_active_filters_are_a_labelled_group_each_removed_by_a_link_that_says_so(client, listed):
    response = client.get("/articles/", {"region": "jiuquan", "kind": "article"})
    page = response.content.decode()

    (group,) = attributes_of(page, "section", class_="active-filters")
    assert texts(page, f"#{group['aria-labelledby']}") == ["当前筛选"]
    removers = attributes_of(page, "a", class_="remove")
    # The link's name is its text, what a reader sees: no aria-label that says something else.
    assert all("aria-label" not in link for link in removers)
    assert texts(page, ".active-filters a") == ["移除地区：酒泉市 ✕", "移除类型：文章 ✕"]
    assert [link["href"] for link in removers] == ["?kind=article", "?region=jiuquan"]


def test_the_filters_are_folded_under_the_result_count_and_say_how_many_are_chosen(client, listed):
    page = client.get("/articles/", {"region": "jiuquan"}).content.decode()

    assert texts(page, "h2.result-count") == ["共 1 篇"]
    assert page.index('class="result-count"') < page.index('<details class="filters"')
    assert texts(page, "details.filters summary") == ["筛选（1 项已选）"]
    assert not attributes_of(page, "details", class_="filters")[0].get("open")
    # A filter to correct opens the form, its message in sight.
    wrong = client.get("/articles/", {"date_after": "昨天"}).content.decode()
    assert "open" in attributes_of(wrong, "details", class_="filters")[0]


def test_a_bureau_is_called_after_its_region_and_listed_among_the_bureaus(client, listed):
    factories.bureau("ganzhou")
    factories.bureau("minqin")

    bureau_page = client.get("/bureaus/jiuquan/").content.decode()
    index = client.get("/bureaus/").content.decode()
    region_page = client.get("/regions/wuwei/").content.decode()
    home = client.get("/").content.decode()

    assert texts(bureau_page, "h1") == ["酒泉市记者站"]
    assert texts(bureau_page, "title") == ["酒泉市记者站 · 甘肃政协报"]
    assert "本报酒泉讯" in texts(bureau_page, "p.meta")[0]
    assert texts(index, "h1") == ["记者站"]
    assert texts(index, "section h2") == ["武威市", "张掖市", "酒泉市"]
    assert texts(index, "section li") == ["民勤县记者站", "甘州区记者站", "酒泉市记者站"]
    assert texts(region_page, "p.bureaus") == ["记者站：民勤县记者站"]
    assert '<a href="/bureaus/">记者站</a>' in home


def test_a_bureau_out_of_use_is_not_listed(client, listed):
    factories.bureau("minqin").__class__.objects.filter(region__slug="minqin").update(active=False)

    assert "民勤县记者站" not in client.get("/bureaus/").content.decode()


@pytest.mark.parametrize(
    ("url", "indexed"),
    [
        ("/regions/jiuquan/", True),
        ("/regions/wuwei/", False),
        ("/bureaus/jiuquan/", True),
        ("/bureaus/minqin/", False),
        ("/correspondents/{person}/", True),
        ("/articles/?q=酒泉", True),
        ("/articles/?q=没有的词", False),
        ("/articles/", True),
        ("/articles/{story}/", True),
    ],
)
def test_a_page_with_nothing_on_it_asks_not_to_be_indexed(client, listed, url, indexed):
    factories.bureau("minqin")
    page = client.get(url.format(person=listed["person"].pk, story=listed["story"].pk)).content.decode()

    asks = attributes_of(page, "meta", name="robots")
    assert (asks == []) is indexed
    if not indexed:
        assert asks[0]["content"] == "noindex"
