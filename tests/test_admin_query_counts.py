"""Each admin page an editor uses daily runs the same number of queries with 3 stories as with 30.

And the admin's search is the readers' search: the same words find the same stories.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.models import ImportBatch, Job, Story
from newsroom.services import roles
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db


def pages(paper):
    stories = reverse("admin:newsroom_story_changelist")
    records = reverse("admin:newsroom_correspondent_records")
    return {
        "desk": reverse("admin:index"),
        "stories": stories,
        "by state": f"{stories}?state=published",
        "by region": f"{stories}?region=zhangye",
        "by bureau": f"{stories}?bureau__id__exact={paper['bureau'].pk}",
        "by issue": f"{stories}?issue__id__exact={paper['issue'].pk}",
        "by kind": f"{stories}?kind__exact=article",
        "by correspondent": f"{stories}?correspondent={paper['person'].pk}",
        "search, two characters": f"{stories}?q=养老",
        "search, two words": f"{stories}?q=养老+服务",
        "change form": reverse("admin:newsroom_story_change", args=[paper["story"].pk]),
        "correspondents": reverse("admin:newsroom_correspondent_changelist"),
        "bureaus": reverse("admin:newsroom_bureau_changelist"),
        "records by issue": f"{records}?first_issue=1187&last_issue=1188",
        "records by period": f"{records}?start=2026-01-01&end=2026-12-31",
        "import batches": reverse("admin:newsroom_importbatch_changelist"),
        "jobs": reverse("admin:newsroom_job_changelist"),
    }


@pytest.fixture
def paper(regions, contributor):
    person = factories.correspondent("王立新", bureau=factories.bureau("zhangye"), user=contributor)
    issue = factories.issue(number=1187, date=datetime.date(2026, 3, 2))
    factories.issue(number=1188, date=datetime.date(2026, 3, 3))
    # In review: the desk and its author both open it.
    story = factories.story(headline="市政协调研养老服务", created_by=contributor, credits=[CreditInput(person)])
    transition(story, Action.SUBMIT, actor=contributor)
    return {"person": person, "issue": issue, "story": story, "bureau": factories.bureau("zhangye"), "added": 0}


def add(paper, count, importer):
    """``count`` more stories of every kind the desk lists, and people, batches and jobs beside them."""
    when = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    contributor = paper["person"].user
    for number in range(paper["added"], paper["added"] + count):
        colleague = factories.correspondent(f"李{number}", bureau=paper["bureau"])
        credits = [CreditInput(paper["person"]), CreditInput(colleague, "photo")]
        fields = {"bureau": paper["bureau"], "region": factories.region(["zhangye", "minle", "gaotai"][number % 3])}
        headline = f"县政协调研养老服务{number}"
        if number % 3 == 0:
            factories.story(headline=headline, created_by=contributor, credits=credits, **fields)
        elif number % 3 == 1:
            submitted = factories.story(headline=headline, created_by=contributor, credits=credits, **fields)
            transition(submitted, Action.SUBMIT, actor=contributor)
        else:
            factories.published_story(
                headline=headline,
                created_by=contributor,
                credits=credits,
                issue=paper["issue"],
                page=1,
                published_at=when,
                **fields,
            )
        batch = ImportBatch.objects.create(created_by=importer, issue=paper["issue"], files=[{"name": f"{number}.txt"}])
        Job.objects.create(kind=Job.Kind.IMPORT, key=f"job-{number}", created_by=importer, batch=batch)
    paper["added"] += count


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(client, paper, names):
    return {name: queries_for(client, url) for name, url in pages(paper).items() if name in names}


EVERY_PAGE = {
    "desk",
    "stories",
    "by state",
    "by region",
    "by bureau",
    "by issue",
    "by kind",
    "by correspondent",
    "search, two characters",
    "search, two words",
    "change form",
    "correspondents",
    "bureaus",
    "records by issue",
    "records by period",
}
ROLE_PAGES = {
    "superuser": EVERY_PAGE | {"import batches", "jobs"},
    roles.CHIEF_EDITOR: EVERY_PAGE,
    roles.EDITOR: EVERY_PAGE,
    roles.CONTRIBUTOR: EVERY_PAGE,
    roles.IMPORTER: {"desk", "stories", "correspondents", "bureaus", "import batches", "jobs"},
}


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_admin_pages_run_as_many_queries_for_30_stories_as_for_3(client, paper, contributor, role):
    importer = factories.staff("importer", roles.IMPORTER)
    if role == "superuser":
        user = get_user_model().objects.create_superuser("boss", password="secret-pass-123")
    elif role == roles.CONTRIBUTOR:
        user = contributor
    elif role == roles.IMPORTER:
        user = importer
    else:
        user = factories.staff("desk", role)
    client.force_login(user)
    add(paper, 3, importer)
    few = counts(client, paper, ROLE_PAGES[role])
    add(paper, 27, importer)
    many = counts(client, paper, ROLE_PAGES[role])

    assert Story.objects.count() == 31
    assert many == few


@pytest.fixture
def searched(regions):
    """Stories whose words a search should and should not find, published as readers see them."""
    texts = [
        ("市政协调研居家养老服务", "委员们走访社区养老服务站。"),
        ("县政协视察农村养老工作", "养老院改造进展顺利。"),
        ("委员建言社区服务", "社区服务中心开展便民活动。"),
        ("政协委员调研防沙治沙", "委员们察看治沙成果。"),
    ]
    return [factories.published_story(headline=headline, paragraphs=(paragraph,)).pk for headline, paragraph in texts]


@pytest.mark.parametrize("words", ["养老", "养老 服务", "服务", "养老　服务", "治沙 成果"])
def test_admin_search_finds_what_the_readers_search_finds(client, chief, searched, words):
    client.force_login(chief)

    response = client.get(reverse("admin:newsroom_story_changelist"), {"q": words})

    found = {story.pk for story in response.context["cl"].result_list}
    # What the readers' list searches (newsroom.filters.StoryFilter.filter_text), among what they may see.
    assert found == set(Story.objects.published().search(words).values_list("pk", flat=True))
    assert found


def test_admin_search_tells_a_word_of_one_character_is_too_short(client, chief, searched):
    client.force_login(chief)

    response = client.get(reverse("admin:newsroom_story_changelist"), {"q": "养 服务"}, follow=True)

    assert list(response.context["cl"].result_list) == []
    assert "每个关键词至少要两个字" in response.content.decode()
