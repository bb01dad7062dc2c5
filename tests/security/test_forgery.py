"""Forged requests are refused and change nothing: no CSRF token, another user's story, a role's overreach."""

import pytest
from django.test import Client
from django.urls import reverse

from newsroom.models import ImportBatch, Story, Transition
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def state(story):
    fresh = Story.objects.get(pk=story.pk)
    return (fresh.status, fresh.headline, fresh.updated_at, Transition.objects.filter(story=story).count())


@pytest.fixture
def approved(regions, editor):
    story = factories.story(headline="待签发稿件", created_by=editor)
    transition(story, Action.SUBMIT, actor=editor)
    transition(story, Action.APPROVE, actor=editor)
    return Story.objects.get(pk=story.pk)


def test_a_post_without_the_csrf_token_is_refused(chief, approved):
    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)
    before = state(approved)

    response = client.post(reverse("admin:newsroom_story_transition", args=[approved.pk]), {"action": "publish"})

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert state(approved) == before


def test_a_post_with_a_forged_csrf_token_is_refused(chief, approved):
    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)
    client.cookies["csrftoken"] = "a" * 32
    before = state(approved)

    response = client.post(
        reverse("admin:newsroom_story_transition", args=[approved.pk]),
        {"action": "publish", "csrfmiddlewaretoken": "b" * 32},
    )

    assert response.status_code == 403
    assert state(approved) == before


def test_the_admin_change_form_and_login_need_the_token(chief, approved):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/admin/login/", {"username": "chief", "password": "secret-pass-123"}).status_code == 403
    client.force_login(chief)
    before = state(approved)

    response = client.post(
        reverse("admin:newsroom_story_change", args=[approved.pk]), {"headline": "篡改", "kind": "article"}
    )

    assert response.status_code == 403
    assert state(approved) == before


def test_with_the_token_the_same_post_works(chief, approved):
    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)
    page = client.get(reverse("admin:newsroom_story_change", args=[approved.pk]))
    token = page.context["csrf_token"]

    client.post(
        reverse("admin:newsroom_story_transition", args=[approved.pk]),
        {"action": "publish", "csrfmiddlewaretoken": token},
    )

    assert Story.objects.get(pk=approved.pk).status == "published"


def test_a_contributor_cannot_touch_another_contributors_story(client, regions):
    owner = make_user("owner", roles.CONTRIBUTOR)
    other = make_user("other", roles.CONTRIBUTOR)
    story = factories.story(headline="别人的草稿", created_by=owner)
    before = state(story)
    client.force_login(other)

    edit = client.post(
        reverse("admin:newsroom_story_change", args=[story.pk]), {"headline": "篡改", "kind": "article", "body": "x"}
    )
    submit = client.post(reverse("admin:newsroom_story_transition", args=[story.pk]), {"action": "submit"})
    bulk = client.post(
        reverse("admin:newsroom_story_changelist"), {"action": "bulk_submit", "_selected_action": [story.pk]}
    )
    preview = client.get(reverse("admin:newsroom_story_preview", args=[story.pk]))
    versions = client.get(reverse("admin:newsroom_story_versions", args=[story.pk]))

    assert edit.status_code in (302, 403, 404)
    assert submit.status_code == 404
    assert bulk.status_code in (200, 302)
    assert preview.status_code == 404
    assert versions.status_code == 404
    assert state(story) == before


def test_a_contributor_posting_publish_is_refused(client, regions):
    author = make_user("author", roles.CONTRIBUTOR)
    story = factories.story(headline="自己的稿件", created_by=author)
    desk = factories.staff("desk", roles.EDITOR)
    transition(story, Action.SUBMIT, actor=author)
    transition(story, Action.APPROVE, actor=desk)
    before = state(story)
    client.force_login(author)

    for action in ["publish", "schedule", "withdraw", "correct", "approve"]:
        response = client.post(
            reverse("admin:newsroom_story_transition", args=[story.pk]),
            {"action": action, "comment": "x", "when": "2030-01-01 06:00"},
        )
        assert response.status_code in (302, 404), action
    bulk = client.post(
        reverse("admin:newsroom_story_changelist"), {"action": "bulk_publish", "_selected_action": [story.pk]}
    )

    assert bulk.status_code in (200, 302)
    assert state(story) == before


def test_an_editor_posting_publish_is_refused(client, editor, approved):
    before = state(approved)
    client.force_login(editor)

    client.post(reverse("admin:newsroom_story_transition", args=[approved.pk]), {"action": "publish"})
    client.post(
        reverse("admin:newsroom_story_changelist"), {"action": "bulk_publish", "_selected_action": [approved.pk]}
    )

    assert state(approved) == before


def test_only_importers_undo_an_import(client, regions, editor):
    importer = make_user("importer", roles.IMPORTER)
    factories.bureau("minle")
    rows = "reference,page,position,kind,headline,bureau,body\nu1,1,1,article,撤销测试,minle,正文。\n"
    _, batch = import_bulletin(
        [Upload("stories.csv", rows.encode())],
        actor=importer,
        issue_number=1192,
        issue_date=factories.datetime.date(2026, 11, 22),
    )
    client.force_login(editor)

    response = client.post(reverse("admin:newsroom_importbatch_undo", args=[batch.pk]))

    assert response.status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.APPLIED
    assert Story.objects.filter(reference="u1").exists()


def test_a_get_never_changes_anything(client, chief, approved):
    client.force_login(chief)
    before = state(approved)

    response = client.get(reverse("admin:newsroom_story_transition", args=[approved.pk]), {"action": "publish"})

    assert response.status_code == 405
    assert state(approved) == before
