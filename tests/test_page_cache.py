"""Readers' pages come from the cache, and what changes shows at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom import cache, content
from newsroom.models import Story
from newsroom.services.stories import update_story
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit (moving the content version on)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


PAGES = ["/", "/articles/", "/regions/zhangye/", "/feeds/latest/", "/sitemap-stories.xml"]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_second_visit_is_served_without_a_query(client, regions):
    factories.published_story(region=factories.region("zhangye"))

    first = queries(client, "/articles/")
    second = queries(client, "/articles/")

    assert first > 0
    assert second <= 2  # at most the content version and the next scheduled time, from the cache


@pytest.mark.parametrize("url", PAGES)
def test_publishing_shows_on_every_page_at_once(client, regions, editor, chief, url, committed):
    with committed():
        factories.published_story(headline="早先的稿件", region=factories.region("zhangye"))
    client.get(url)
    story = factories.story(headline="刚签发的稿件", region=factories.region("zhangye"))
    transition(story, Action.SUBMIT, actor=editor)
    transition(story, Action.APPROVE, actor=editor)
    with committed():
        transition(story, Action.PUBLISH, actor=chief)

    assert "刚签发的稿件" in client.get(url).content.decode() or url == "/sitemap-stories.xml"
    if url == "/sitemap-stories.xml":
        assert f"/articles/{story.pk}/" in client.get(url).content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_withdrawn_story_leaves_every_page_at_once(client, regions, chief, url, committed):
    with committed():
        story = factories.published_story(headline="要撤的稿件", region=factories.region("zhangye"))
    assert f"/articles/{story.pk}/" in client.get(url).content.decode()

    with committed():
        transition(story, Action.WITHDRAW, actor=chief, comment="重复刊发")

    assert f"/articles/{story.pk}/" not in client.get(url).content.decode()


def test_a_correction_and_an_edit_show_at_once(client, regions, chief, committed):
    with committed():
        story = factories.published_story(headline="原标题")
    client.get(story.get_absolute_url())

    with committed():
        update_story(story, actor=chief, headline="改后的标题")
        transition(story, Action.CORRECT, actor=chief, comment="标题有误，已更正。")

    page = client.get(story.get_absolute_url()).content.decode()
    assert "改后的标题" in page and "标题有误，已更正。" in page


def test_no_cached_page_outlives_the_next_scheduled_story(client, regions):
    factories.published_story(published_at=timezone.now() + datetime.timedelta(seconds=90))

    assert 0 < cache.seconds_to_keep() <= 90


def test_staff_are_never_served_from_the_cache(client, regions, editor):
    factories.published_story(headline="甲")
    client.get("/articles/")
    client.force_login(editor)

    assert queries(client, "/articles/") > 2


def test_drafts_never_enter_the_cache(client, regions):
    draft = factories.story(headline="草稿")
    client.get(draft.get_absolute_url())

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert not Story.objects.published().exists()


def test_caching_can_be_turned_off(client, regions, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    factories.published_story()
    client.get("/articles/")

    assert queries(client, "/articles/") > 2


def test_a_change_made_through_another_worker_shows_here_within_a_second(client, regions, monkeypatch):
    import time

    story = factories.published_story(headline="旧标题")
    client.get(story.get_absolute_url())
    # Another worker commits an edit: it moves the shared version on, not this worker's memory of it.
    Story.objects.filter(pk=story.pk).update(headline="新标题")
    cache.cache.incr(content.VERSION_KEY)

    later = time.time() + content.VERSION_SECONDS + 0.1
    monkeypatch.setattr(time, "time", lambda: later)

    assert "新标题" in client.get(story.get_absolute_url()).content.decode()


# The key: what makes the page, and nothing else (the attack run's finding 8).


@pytest.mark.parametrize("url", ["/", "/articles/", "/regions/zhangye/", "/feeds/latest/", "/issues/"])
def test_parameters_a_page_does_not_read_do_not_split_the_cache(client, regions, url):
    factories.published_story(headline="张掖稿件", region=factories.region("zhangye"))
    first = client.get(url)

    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as captured:
        junk = client.get(f"{url}{separator}x=random-7f3a&utm_source=scan")

    assert junk.status_code == 200
    assert len(captured) <= 2
    assert junk.content == first.content


def test_a_filtered_list_is_never_served_for_an_unfiltered_one(client, regions):
    factories.published_story(headline="民乐稿", region=factories.region("minle"))
    factories.published_story(headline="天水稿", region=factories.region("tianshui"))

    filtered = client.get("/articles/?x=random&region=minle").content.decode()
    unfiltered = client.get("/articles/?x=random").content.decode()
    second_page = client.get("/articles/?page=2&x=1").content.decode()

    assert "民乐稿" in filtered and "天水稿" not in filtered
    assert "民乐稿" in unfiltered and "天水稿" in unfiltered
    assert second_page != unfiltered
    assert client.get("/articles/?region=minle").content.decode() == filtered


def test_junk_parameters_never_reach_the_page(client, regions, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    for number in range(25):
        factories.published_story(headline=f"稿件{number}", region=factories.region("zhangye"))

    page = client.get("/articles/?region=zhangye&zzjunk=%3Cb%3E").content.decode()

    assert "page=2" in page and "region=zhangye" in page
    assert "zzjunk" not in page


def test_the_host_is_part_of_the_key(client, regions, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    factories.published_story(headline="张掖稿件", region=factories.region("zhangye"))

    first = client.get("/feeds/latest/", HTTP_HOST="localhost").content.decode()
    second = client.get("/feeds/latest/", HTTP_HOST="127.0.0.1").content.decode()

    assert "http://localhost/" in first
    assert "http://127.0.0.1/" in second and "localhost" not in second
