"""The admin's lists filter only by what they declare: no contact detail by prefix, no lookup that ends in a 500.

The attack: a correspondent, who may open the correspondents list but not read
a colleague's phone, sent ``?phone__startswith=1``, ``?phone__startswith=13`` …
and read the phone number off which prefixes still listed the colleague.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from newsroom.models import Correspondent
from newsroom.services import roles
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CORRESPONDENTS = "admin:newsroom_correspondent_changelist"
STORIES = "admin:newsroom_story_changelist"
ISSUES = "admin:newsroom_issue_changelist"
REGIONS = "admin:newsroom_region_changelist"
BUREAUS = "admin:newsroom_bureau_changelist"
BATCHES = "admin:newsroom_importbatch_changelist"
USERS = "admin:auth_user_changelist"


@pytest.fixture
def colleague(regions):
    login = make_user("wang-lixin", roles.CONTRIBUTOR)
    return factories.correspondent(
        "王立新", phone="13912345678", email="wang.lixin@example.cn", user=login, bureau=factories.bureau("zhangye")
    )


def listed(response):
    return {person.name for person in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "query",
    [
        {"phone__startswith": "139"},
        {"phone__startswith": "138"},
        {"phone": "13912345678"},
        {"phone__contains": "1234"},
        {"email__startswith": "wang"},
        {"email__icontains": "example"},
        {"email__iregex": "^w"},
        {"user": "1"},
        {"user__id__exact": "1"},
        {"user__username": "wang-lixin"},
        {"user__username__startswith": "w"},
        {"user__email__startswith": "w"},
        {"user__password__startswith": "md5"},
    ],
)
def test_a_correspondent_cannot_filter_colleagues_by_contact_details(client, contributor, colleague, query):
    client.force_login(contributor)
    factories.correspondent("李岩")

    response = client.get(reverse(CORRESPONDENTS), query)

    assert response.status_code == 400
    assert "不能按这样的条件筛选" in response.content.decode()


def test_the_prefix_attack_learns_nothing(client, contributor, colleague):
    client.force_login(contributor)

    answers = {
        prefix: client.get(reverse(CORRESPONDENTS), {"phone__startswith": prefix}).content
        for prefix in ["1", "13", "139", "138", "2"]
    }

    assert len(set(answers.values())) == 1


def test_the_declared_filters_still_filter(client, contributor, chief, colleague):
    factories.correspondent("李岩", title=Correspondent.Title.REPORTER, active=False)
    client.force_login(contributor)

    assert listed(client.get(reverse(CORRESPONDENTS), {"active__exact": "1"})) == {"王立新"}
    assert listed(client.get(reverse(CORRESPONDENTS), {"title__exact": Correspondent.Title.REPORTER})) == {"李岩"}
    assert listed(client.get(reverse(CORRESPONDENTS), {"bureau__id__exact": str(colleague.bureau_id)})) == {"王立新"}
    assert listed(client.get(reverse(CORRESPONDENTS), {"q": "王"})) == {"王立新"}

    client.force_login(chief)
    issue = factories.issue(number=1190)
    story = factories.story(headline="县政协开展调研", issue=issue, created_by=chief)
    for query in [{"state": "draft"}, {"kind__exact": story.kind}, {"issue__id__exact": str(issue.pk)}]:
        response = client.get(reverse(STORIES), query)
        assert [row.headline for row in response.context["cl"].result_list] == ["县政协开展调研"], query
    response = client.get(reverse(ISSUES), {"date__year": "2026", "date__month": "11"})
    assert [row.number for row in response.context["cl"].result_list] == [1190]


BAD_LOOKUPS = [
    (STORIES, "headline__regex=("),
    (STORIES, "headline__iregex=[&x=1"),
    (STORIES, "event_date__year=99999999999999999999999"),
    (STORIES, "created_by__password__startswith=md5"),
    (STORIES, "state=%00"),
    (STORIES, "region=%00"),
    (STORIES, "q=%00"),
    (STORIES, "correspondent=99999999999999999999999"),
    (STORIES, "issue__id__exact=99999999999999999999999"),
    (STORIES, "issue__id__exact=abc"),
    (STORIES, "kind__exact=%00"),
    (STORIES, "p=99999999999999999999999"),
    (STORIES, "o=99999999999999999999999"),
    (CORRESPONDENTS, "email__iregex=["),
    (CORRESPONDENTS, "name__contains=%00"),
    (CORRESPONDENTS, "name__regex=%5B"),
    (CORRESPONDENTS, "active__exact=maybe"),
    (CORRESPONDENTS, "bureau__id__exact=99999999999999999999999"),
    (CORRESPONDENTS, "title__exact=%00"),
    (REGIONS, "name__contains=%00"),
    (REGIONS, "level__exact=%00"),
    (BUREAUS, "region__name__regex=("),
    (ISSUES, "date__year=99999999999999999999999"),
    (ISSUES, "date__year=9999"),
    (ISSUES, "date__year=9999&date__month=12"),
    (ISSUES, "date__year=2026&date__month=12&date__day=31"),
    (ISSUES, "date__year=0"),
    (ISSUES, "date__year=2026&date__month=13"),
    (ISSUES, "date__year=-1"),
    (ISSUES, "date__year=abc"),
    (ISSUES, "number__gt=99999999999999999999999"),
    (ISSUES, "q=99999999999999999999999"),
    (BATCHES, "state__exact=%00"),
    (BATCHES, "file_names__regex=("),
    (USERS, "username__regex=("),
    (USERS, "is_staff__exact=x"),
    (USERS, "groups__id__exact=99999999999999999999999"),
]


@pytest.mark.parametrize(("list_name", "query"), BAD_LOOKUPS)
def test_no_unknown_or_malformed_lookup_answers_a_server_error(client, regions, list_name, query):
    superuser = get_user_model().objects.create_superuser("root", "root@example.cn", "secret-pass-123")
    factories.correspondent("王立新", phone="13912345678", bureau=factories.bureau("zhangye"))
    factories.story(issue=factories.issue(number=1190), created_by=superuser)
    client.force_login(superuser)

    response = client.get(f"{reverse(list_name)}?{query}", follow=True)

    assert response.status_code < 500, response.content.decode()[:2000]
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "不能按这样的条件筛选" in response.content.decode()


@pytest.mark.parametrize("role", [roles.CONTRIBUTOR, roles.EDITOR, roles.CHIEF_EDITOR])
def test_no_role_gets_a_server_error_from_the_attack_run_lookups(client, regions, role):
    client.force_login(make_user("someone", role))
    for list_name, query in [
        (STORIES, "headline__regex=("),
        (CORRESPONDENTS, "email__iregex=["),
        (CORRESPONDENTS, "name__contains=%00"),
        (STORIES, "event_date__year=99999999999999999999999"),
    ]:
        response = client.get(f"{reverse(list_name)}?{query}", follow=True)
        assert response.status_code in (400, 403), (list_name, query, response.status_code)


def test_every_filter_a_list_offers_still_works(client, regions):
    """Each list's own filter links (and date hierarchy), as the sidebar renders them, are allowed lookups."""
    from django.apps import apps
    from django.contrib import admin

    superuser = get_user_model().objects.create_superuser("root", "root@example.cn", "secret-pass-123")
    factories.correspondent("王立新", bureau=factories.bureau("zhangye"))
    factories.story(issue=factories.issue(number=1190), bureau=factories.bureau("zhangye"), created_by=superuser)
    client.post("/admin/login/", {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    client.force_login(superuser)

    checked = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        changelist = response.context["cl"]
        links = [choice["query_string"] for spec in changelist.filter_specs for choice in spec.choices(changelist)]
        if changelist.date_hierarchy:
            links += [
                f"?{changelist.date_hierarchy}__year=2026",
                f"?{changelist.date_hierarchy}__year=2026&{changelist.date_hierarchy}__month=11",
            ]
        for query in links:
            filtered = client.get(url + query)
            assert filtered.status_code == 200, (url, query, filtered.content.decode()[:500])
            assert "e=1" not in filtered.get("Location", ""), (url, query)
            checked += 1
    assert checked > 20
