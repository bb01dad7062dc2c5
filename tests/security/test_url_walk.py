"""Every URL of the site, walked as anonymous, contributor, editor and chief editor.

The patterns come from the URL resolver, so a new URL is walked as soon as it exists (and
a placeholder this test cannot fill fails it, to be taught here). Drafts, previews,
correspondents' contact details, audit records and import batches carry markers; each
role's pages must show only the markers its role may see, and no page may fail.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from newsroom import revisions
from newsroom.models import Bureau, Correspondent, Region, Story, Topic
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.stories import PhotoInput
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DRAFT = "草稿机密标记DRAFT"
AUDIT = "退回意见审计标记AUDIT"
CONTACT = "13900001111"
BATCH = "机密批次BATCH.csv"

# Which markers each role may see anywhere on the site.
MAY_SEE = {
    "anonymous": set(),
    "contributor": set(),
    "editor": {AUDIT, CONTACT},
    "chief": {AUDIT, CONTACT},
}
# Admin pages anyone may open: the rest send anonymous visitors to the login.
OPEN_ADMIN = {"login/", "logout/"}


def patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


@pytest.fixture
def paper(regions, editor, chief):
    owner = make_user("owner", roles.CONTRIBUTOR)
    importer = make_user("importer", roles.IMPORTER)
    person = factories.correspondent("李文华", phone=CONTACT, email="contact@example.cn")
    issue = factories.issue(number=1190)
    draft = factories.story(
        headline=DRAFT,
        created_by=owner,
        region=factories.region("minle"),
        photos=[PhotoInput(image=factories.jpeg(), caption="草稿图说", alt="草稿图")],
    )
    published = factories.story(headline="已发表稿件", created_by=owner, region=factories.region("minle"), issue=issue)
    transition(published, Action.SUBMIT, actor=owner)
    transition(published, Action.SEND_BACK, actor=editor, comment=AUDIT)
    transition(published, Action.SUBMIT, actor=owner)
    published = factories.publish(Story.objects.get(pk=published.pk))
    # The printed page (数字报) shows the published story's zone, never the draft's.
    front = factories.printed(issue.pages.get(number=1))
    factories.zone(published, front, 0.1, 0.1, 0.8, 0.3)
    factories.zone(draft, front, 0.1, 0.5, 0.8, 0.3)
    factories.bureau("zhangye")
    # A topic holding the published story and the draft: its page, feed and sitemap show only the former.
    topic = Topic.objects.create(name="两会", slug="两会")
    topic.stories.add(published, draft)
    rows = "reference,page,position,kind,headline,bureau,body\nb1,2,1,article,批次稿件,zhangye,正文。\n"
    _, batch = import_bulletin(
        [Upload(BATCH, rows.encode())],
        actor=importer,
        issue_number=1191,
        issue_date=factories.datetime.date(2026, 11, 21),
    )
    return {
        "owner": owner,
        "importer": importer,
        "draft": draft,
        "published": published,
        "person": person,
        "issue": issue,
        "batch": batch,
    }


def objects_for(route, paper):
    """The ids to put in a route's placeholders: one URL per object worth walking."""
    model_ids = {
        "newsroom/story/": [paper["draft"].pk, paper["published"].pk],
        "newsroom/correspondent/": [paper["person"].pk],
        "newsroom/importbatch/": [paper["batch"].pk],
        "newsroom/issue/": [paper["issue"].pk],
        "newsroom/region/": [Region.objects.get(slug="zhangye").pk],
        "newsroom/bureau/": [Bureau.objects.first().pk],
        "auth/user/": [paper["owner"].pk],
        "auth/group/": [paper["owner"].groups.get().pk],
        "articles/": [paper["draft"].pk, paper["published"].pk],
        "correspondents/": [paper["person"].pk],
    }
    for prefix, ids in model_ids.items():
        if prefix in route:
            return ids
    return [1]


def fill(route, object_id, paper):
    story = Story.objects.get(pk=object_id) if "newsroom/story/" in route else paper["draft"]
    version = revisions.versions_of(story).first()
    values = {
        r"<path:object_id>|<int:pk>|<id>": str(object_id),
        r"<int:version_id>": str(version.pk if version else 1),
        r"<path:content_type_id>": str(ContentType.objects.get_for_model(Story).pk),
        r"<path:name>": paper["draft"].photos.get().image.name,
        r"<slug:slug>": "zhangye",
        r"<str:slug>": "两会",
        r"<int:number>": str(paper["issue"].number),
        r"<int:page>": "1",
        r"<int:year>": str(paper["issue"].date.year),
        r"<int:month>": str(paper["issue"].date.month),
        r"<section>": "stories",
        r"\^\(\?P<app_label>[^)]*\)/\$": "newsroom/",
        r"\(\?P<url>\.\*\)\$": "no-such-page/",
        r"\^media/\(\?P<path>\.\*\)\$": "media/none.jpg",
    }
    for placeholder, value in values.items():
        route = re.sub(placeholder, lambda _match, value=value: value, route)
    assert "<" not in route and "(?P" not in route, f"teach test_url_walk to fill {route}"
    return "/" + route.lstrip("^")


def site_urls(paper):
    urls = set()
    for route in patterns(get_resolver().url_patterns):
        for object_id in objects_for(route, paper):
            urls.add(fill(route, object_id, paper))
    return sorted(urls)


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def visit(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    return response, body_of(response)


@pytest.fixture
def clients(client, django_user_model, paper, editor, chief):
    from django.test import Client

    made = {"anonymous": client}
    users = {"contributor": make_user("intruder", roles.CONTRIBUTOR), "editor": editor, "chief": chief}
    for name, user in users.items():
        made[name] = Client()
        made[name].force_login(user)
    return made


def test_the_walk_covers_the_whole_site(paper):
    urls = site_urls(paper)

    assert len(urls) > 80
    for expected in ["/", "/articles/", "/admin/newsroom/story/", "/admin/newsroom/importbatch/", "/staff/originals/"]:
        assert any(url.startswith(expected) for url in urls), expected


@pytest.mark.parametrize("role", list(MAY_SEE))
def test_each_role_sees_only_what_it_may(clients, paper, role):
    client = clients[role]
    seen = set()
    for url in site_urls(paper):
        response, body = visit(client, url)
        found = {marker for marker in (DRAFT, AUDIT, CONTACT, BATCH) if marker in body}
        assert found <= MAY_SEE[role], f"{role} sees {found - MAY_SEE[role]} at {url}"
        seen |= found
        if role == "anonymous" and url.startswith("/admin/") and url.removeprefix("/admin/") not in OPEN_ADMIN:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        if role == "anonymous" and url.startswith("/staff/"):
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    # What a role may see, it can find: the markers are really on the pages that show them.
    assert seen == MAY_SEE[role]


def test_the_markers_are_there_for_those_who_may_see_them(client, paper):
    """The positive control: the draft's author sees the draft, the importer the batch."""
    client.force_login(paper["owner"])
    draft = paper["draft"]
    assert DRAFT in visit(client, f"/admin/newsroom/story/{draft.pk}/preview/")[1]
    assert visit(client, f"/staff/originals/{draft.photos.get().image.name}")[0].status_code == 200

    client.force_login(paper["importer"])
    assert BATCH in visit(client, f"/admin/newsroom/importbatch/{paper['batch'].pk}/change/")[1]


def test_public_pages_never_show_drafts_or_the_trail(client, paper):
    printed = ["/issues/1190/pages/1/", "/issues/calendar/2026/11/"]
    for url in [
        "/",
        "/articles/",
        f"/articles/{paper['published'].pk}/",
        "/regions/zhangye/",
        "/feeds/latest/",
        *printed,
    ]:
        response, body = visit(client, url)
        assert response.status_code == 200, url
        assert DRAFT not in body and AUDIT not in body and CONTACT not in body, url
    assert client.get(f"/articles/{paper['draft'].pk}/").status_code == 404
    assert Correspondent.objects.get(pk=paper["person"].pk).phone == CONTACT
