"""A crash in the middle of an import, a transition or an edit leaves nothing half-written."""

from unittest import mock

import pytest
from django.core import mail

from newsroom import revisions
from newsroom.models import Correspondent, Credit, ImportBatch, Issue, Page, Story, Transition
from newsroom.services import imports, roles
from newsroom.services import stories as story_service
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ROWS = (
    "reference,page,position,kind,headline,bureau,credits,body\n"
    "c1,1,1,article,崩溃测试一,minle,通讯员 新人甲,正文一。\n"
    "c2,1,2,article,崩溃测试二,minle,通讯员 新人乙,正文二。\n"
)


class Crash(RuntimeError):
    pass


def everything():
    return {
        "stories": list(Story.objects.values_list("pk", "status", "headline", "updated_at").order_by("pk")),
        "credits": Credit.objects.count(),
        "people": Correspondent.objects.count(),
        "transitions": Transition.objects.count(),
        "batches": ImportBatch.objects.count(),
        "issues": Issue.objects.count(),
        "pages": Page.objects.count(),
    }


@pytest.fixture
def importer(regions):
    factories.bureau("minle")
    return make_user("importer", roles.IMPORTER)


def run_import(importer):
    return import_bulletin(
        [Upload("stories.csv", ROWS.encode())],
        actor=importer,
        issue_number=1195,
        issue_date=factories.datetime.date(2026, 11, 25),
    )


@pytest.mark.parametrize(
    "where",
    [
        "newsroom.services.imports.writing._update_stories",  # after the stories, credits and their admission
        "newsroom.services.imports.writing.note_imported",  # at the very end
        "newsroom.services.workflow.Transition.objects.bulk_create",  # inside the admission to review
        "newsroom.services.imports.writing.Credit.objects.bulk_create",  # between the stories and their credits
    ],
)
def test_an_import_that_crashes_midway_writes_nothing(importer, where):
    before = everything()

    with mock.patch(where, side_effect=Crash("the worker died")), pytest.raises(Crash):
        run_import(importer)

    assert everything() == before
    # And the same batch, run again once the fault is gone, imports whole.
    plan, batch = run_import(importer)
    assert plan.errors == []
    assert Story.objects.filter(reference__in=["c1", "c2"]).count() == 2
    assert batch.created_count == 2


def test_a_transition_that_crashes_midway_leaves_the_story_as_it_was(regions, chief, editor):
    story = factories.story(headline="签发中途崩溃")
    transition(story, Action.SUBMIT, actor=editor)
    transition(story, Action.APPROVE, actor=editor)
    before = everything()
    mail.outbox.clear()

    with (
        mock.patch("newsroom.services.workflow.Transition.objects.create", side_effect=Crash("crash")),
        pytest.raises(Crash),
    ):
        transition(story, Action.PUBLISH, actor=chief)

    assert everything() == before
    fresh = Story.objects.get(pk=story.pk)
    assert (fresh.status, fresh.published_at) == ("approved", None)
    assert mail.outbox == []
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_an_edit_that_crashes_between_text_and_credits_keeps_the_old_version(regions, editor):
    person, other = factories.correspondent("甲"), factories.correspondent("乙")
    story = factories.story(headline="原标题", credits=[CreditInput(person)])
    transition(story, Action.SUBMIT, actor=editor)
    story = Story.objects.get(pk=story.pk)
    versions = revisions.versions_of(story).count()
    before = everything()

    with (
        mock.patch.object(story_service.Credit.objects, "bulk_create", side_effect=Crash("crash")),
        pytest.raises(Crash),
    ):
        story_service.update_story(
            story, actor=editor, expected_version=story.updated_at, headline="新标题", credits=[CreditInput(other)]
        )

    assert everything() == before
    fresh = Story.objects.get(pk=story.pk)
    assert fresh.headline == "原标题"
    assert [credit.correspondent.name for credit in fresh.credits.all()] == ["甲"]
    assert revisions.versions_of(fresh).count() == versions


def test_an_undo_that_crashes_midway_undoes_nothing(importer):
    _, batch = run_import(importer)
    before = everything()

    # After the batch's stories are deleted, before the batch is marked undone.
    with mock.patch.object(ImportBatch, "save", side_effect=Crash("crash")), pytest.raises(Crash):
        imports.undo_batch(batch, actor=importer)

    assert everything() == before
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.APPLIED
