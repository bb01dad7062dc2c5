"""Each public page runs the same number of SQL queries however many stories it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.models import Story, Topic
from newsroom.services import front, topics
from newsroom.services.stories import CreditInput

from . import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/articles/",
    "/articles/?region=zhangye&kind=article&date_after=2026-01-01&q=政协",
    "/articles/?bureau=zhangye&issue=1187",
    "/articles/?correspondent={person}",
    "/articles/{story}/",
    "/regions/zhangye/",
    "/regions/",
    "/bureaus/",
    "/bureaus/zhangye/",
    "/correspondents/{person}/",
    "/issues/",
    "/issues/1187/",
    "/issues/1187/pages/1/",
    "/issues/1187/pages/4/",
    "/issues/calendar/2026/11/",
    "/feeds/latest/",
    "/feeds/regions/zhangye/",
    "/topics/",
    "/topics/lianghui/",
    "/feeds/topics/lianghui/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/sitemap-news.xml",
    "/articles/?q=政协&order=relevance",
    "/sitemap-topics.xml",
]


def add_stories(count, issue, person, photographer):
    for number in range(count):
        region = ["zhangye", "minle", "gaotai"][number % 3]
        if number % 4 == 3:
            story = factories.photo_story(
                headline=f"图片{number}", region=factories.region(region), photographer=photographer
            )
            story.issue, story.page = issue, 4
            story.save()
        else:
            story = factories.story(
                headline=f"政协稿件{number}",
                bureau=factories.bureau("zhangye"),
                region=factories.region(region),
                issue=issue,
                page=1 + number % 3,
                credits=[CreditInput(person), CreditInput(photographer, "photo")],
            )
        factories.publish(story)
        # Each story covers a strip of its printed page (数字报): a zone more to draw and link.
        page = issue.pages.get(number=story.page)
        factories.zone(story, page, 0.05, 0.05 + (number % 9) / 10, 0.9, 0.08, position=number)
        topics.add_to_topic([story], Topic.objects.get_or_create(name="两会", slug="lianghui")[0], actor=None)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_stories_shown(client, regions, url):
    issue = factories.issue(number=1187)
    factories.printed(issue.pages.get(number=1))
    person = factories.correspondent("王立新")
    photographer = factories.correspondent("赵一鸣")
    add_stories(4, issue, person, photographer)
    story = Story.objects.published().first()
    url = url.format(person=person.pk, story=story.pk)

    few = queries_for(client, url)
    add_stories(12, issue, person, photographer)
    many = queries_for(client, url)

    assert few == many, f"{url}: {few} queries with 4 stories, {many} with 16"


def test_the_front_page_runs_as_many_queries_however_many_stories_are_placed(client, regions, chief):
    issue = factories.issue(number=1187)
    person = factories.correspondent("王立新")
    photographer = factories.correspondent("赵一鸣")
    add_stories(4, issue, person, photographer)
    stories = list(Story.objects.published().order_by("pk"))
    front.pin_lead(stories[0], actor=chief)
    front.add_top_story(stories[1], actor=chief)

    few = queries_for(client, "/")
    add_stories(12, issue, person, photographer)
    front.order_top_stories(list(Story.objects.published().order_by("pk")[1:7]), actor=chief)
    many = queries_for(client, "/")

    assert few == many, f"the front page: {few} queries with 2 placements, {many} with 7"
