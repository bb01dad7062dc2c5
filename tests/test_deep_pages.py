"""Deep pages start from the list's anchors, and show exactly the stories counting down would."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.speed import paginator

from . import factories

pytestmark = pytest.mark.django_db

STORIES = 75


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    # An anchor every 30 stories: page 2 starts inside the first block, page 4 from the second anchor.
    monkeypatch.setattr(paginator, "ANCHOR_EVERY", 30)


@pytest.fixture
def archive(regions, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(STORIES):
            # Three stories to a minute: ties on the time are broken by the id, as lists sort them.
            factories.published_story(
                headline=f"稿件{number:02d}",
                region=factories.region("lanzhou" if number % 2 else "minle"),
                published_at=now - datetime.timedelta(minutes=number // 3),
            )


def headlines(client, url):
    page = client.get(url).content.decode()
    return re.findall(r"<h3><a href=\"/articles/\d+/\">(.+?)</a></h3>", page)


def newest_first(numbers):
    # Within a minute the newest id (the last made) comes first.
    return sorted(numbers, key=lambda number: (number // 3, -number))


@pytest.mark.parametrize("counts_kept", [True, False])
@pytest.mark.parametrize("query", ["", "region=zhangye&"])
def test_every_page_holds_what_counting_down_the_list_gives(client, archive, settings, counts_kept, query):
    settings.NEWSROOM_COUNT_CACHE = counts_kept
    numbers = newest_first(n for n in range(STORIES) if not query or n % 2 == 0)
    expected = [f"稿件{n:02d}" for n in numbers]

    shown = []
    for page in range(1, len(expected) // 20 + 2):
        shown += headlines(client, f"/articles/?{query}page={page}")

    assert shown == expected


def test_a_deep_page_reads_no_more_ids_than_a_first_page(client, archive, settings):
    settings.NEWSROOM_COUNT_CACHE = True
    client.get("/articles/?page=4")  # finds the anchors

    with CaptureQueriesContext(connection) as captured:
        client.get("/articles/?page=4")
    ids = [query["sql"] for query in captured if "OFFSET" in query["sql"] or "LIMIT 20" in query["sql"]]

    assert ids, "the page's ids were not read"
    # Page 4 starts at story 60, 0 past the second anchor: no offset at all.
    assert all("OFFSET" not in sql for sql in ids), ids


def test_a_story_published_later_moves_the_deep_pages_on(client, archive, settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_COUNT_CACHE = True
    before = headlines(client, "/articles/?page=4")
    with django_capture_on_commit_callbacks(execute=True):
        factories.published_story(headline="最新稿件", region=factories.region("zhangye"))

    after = headlines(client, "/articles/?page=4")

    assert after[0] == f"稿件{newest_first(range(STORIES))[59]:02d}"
    assert after[1:] == before
