import datetime

import pytest

from newsroom.services.stories import CreditInput

from . import factories
from .pages import headlines, texts

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

    assert texts(response, "h1") == ["本报民勤讯"]
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
