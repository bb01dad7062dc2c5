"""The count of a list ("共 N 篇") is counted once per content version, and is never out of date."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def count_cache_on(settings):
    settings.NEWSROOM_COUNT_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def shown_count(client, url):
    """The total a reader sees under the list, and the SQL it took."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    counts = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    return int(re.search(r"共 (\d+) 篇", page).group(1)), counts


@pytest.fixture
def many(regions, committed):
    # More than one page of stories, so that the list shows its count.
    with committed():
        for number in range(25):
            factories.published_story(headline=f"稿件{number}", region=factories.region("zhangye"))


@pytest.mark.parametrize("url", ["/articles/", "/articles/?region=zhangye", "/regions/zhangye/", "/articles/?q=稿件"])
def test_a_list_is_counted_once_until_something_changes(client, many, url):
    first, first_counts = shown_count(client, url)
    again, again_counts = shown_count(client, url)

    assert first == again == 25
    # A text search counts the whole archive too, once, to choose how to find its pages.
    assert len(first_counts) == (2 if "q=" in url else 1)
    assert again_counts == []


def test_each_filter_has_its_own_count_and_every_page_shares_it(client, many):
    shown_count(client, "/articles/")

    assert shown_count(client, "/articles/?page=2")[1] == []
    shown, counts = shown_count(client, "/articles/?q=稿件")
    assert shown == 25
    assert len(counts) == 2  # this list, and the whole archive (speed.paginator.SlimOffsetPaginator.walk_is_short)


def test_publishing_and_withdrawing_move_the_count_at_once(client, many, editor, chief, committed):
    shown_count(client, "/articles/")
    story = factories.story(headline="新稿", region=factories.region("zhangye"))
    transition(story, Action.SUBMIT, actor=editor)
    transition(story, Action.APPROVE, actor=editor)
    with committed():
        transition(story, Action.PUBLISH, actor=chief)

    assert shown_count(client, "/articles/")[0] == 26

    with committed():
        transition(story, Action.WITHDRAW, actor=chief, comment="重复")

    assert shown_count(client, "/articles/")[0] == 25


def test_a_count_is_not_kept_past_the_next_scheduled_story(client, many):
    factories.published_story(published_at=timezone.now() + datetime.timedelta(hours=1))
    shown_count(client, "/articles/")

    assert shown_count(client, "/articles/")[1] == []
    later = timezone.now() + datetime.timedelta(hours=1, seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        shown, counts = shown_count(client, "/articles/")

    assert shown == 26
    assert len(counts) == 1


def test_counting_every_time_when_turned_off(client, many, settings):
    settings.NEWSROOM_COUNT_CACHE = False
    shown_count(client, "/articles/")

    assert len(shown_count(client, "/articles/")[1]) == 1
