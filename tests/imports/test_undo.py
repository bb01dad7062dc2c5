"""Undoing a batch: what the newsroom worked on since the import is shown, asked about and kept."""

import datetime

import pytest
from django.urls import reverse

from newsroom import body as story_body
from newsroom.models import Correspondent, ImportBatch, Photo, Story, characters_of
from newsroom.services import photos as photo_services
from newsroom.services import stories as story_service
from newsroom.services.imports import Upload, changed_since_import, import_bulletin, undo_batch
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.pages import texts

from .pages import PAGE_ONE, PAGE_TWO, PAGE_TWO_CHANGED

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 11, 20)
FIRST, SECOND = "召开十一届常委会第九次会议", "凝聚共识促发展"


def run(*pages, actor=None):
    uploads = [Upload(f"page-{number}.txt", text.encode()) for number, text in pages]
    return import_bulletin(uploads, actor=actor, issue_number=1190, issue_date=DATE)[1]


def whole(story):
    """Everything a reader or an editor sees of a story: every field, its credits, its photos."""
    story = Story.objects.get(pk=story.pk)
    fields = {field.attname: getattr(story, field.attname) for field in Story._meta.concrete_fields}
    credits = list(story.credits.values_list("correspondent__name", "title", "contribution", "position"))
    photos = list(story.photos.values_list("pk", "image", "caption", "alt", "position"))
    return fields, credits, photos


def edit_body(story, editor):
    body = story_body.make(
        [("paragraph", text) for text in [*story.paragraphs, "编辑补写的一段：会后委员们分组讨论。"]]
    )
    story_service.update_story(story, actor=editor, body=body)


def edit_headline(story, editor):
    story_service.update_story(story, actor=editor, headline="编辑改过的标题")


def add_credit(story, editor):
    credits = [
        story_service.CreditInput(credit.correspondent, credit.contribution, credit.title)
        for credit in story.credits.all()
    ]
    person = factories.correspondent("编辑补的作者", Correspondent.Title.REPORTER)
    story_service.set_credits(story, [*credits, story_service.CreditInput(person)])


def add_photo(story, editor):
    photo_services.add_photo(story, upload=factories.jpeg(), caption="会议现场", alt="会场")


def approve(story, editor):
    transition(story, Action.APPROVE, actor=editor)


EDITS = [edit_body, edit_headline, add_credit, add_photo, approve]


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_a_story_changed_after_the_import_is_listed_and_kept_whole(edit, bureaus, importer, editor):
    batch = run((1, PAGE_ONE), actor=importer)
    first = Story.objects.get(headline=FIRST)
    edit(first, editor)
    before = whole(first)

    listed = list(changed_since_import(batch))
    undone = undo_batch(batch, actor=importer)

    assert listed == [first]
    assert whole(first) == before
    assert not Story.objects.filter(headline=SECOND).exists()
    assert undone.state == ImportBatch.State.UNDONE
    assert undone.kept == [{"story": first.pk, "headline": before[0]["headline"], "reason": "导入后有改动"}]


def test_a_story_nobody_touched_is_not_listed(bureaus, importer):
    batch = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)

    assert list(changed_since_import(batch)) == []


def test_a_confirmed_change_is_undone_with_the_rest_and_its_photo_files_go_after_commit(
    bureaus, importer, editor, django_capture_on_commit_callbacks
):
    batch = run((1, PAGE_ONE), actor=importer)
    first = Story.objects.get(headline=FIRST)
    photo = photo_services.add_photo(first, upload=factories.jpeg(), caption="会议现场", alt="会场")
    storage, name = photo.image.storage, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        undone = undo_batch(batch, actor=importer, confirmed=[first.pk])

    assert Story.objects.count() == 0
    assert Photo.objects.count() == 0
    assert not storage.exists(name)
    assert undone.kept == []


@pytest.mark.parametrize("confirm", [False, True], ids=["kept", "confirmed"])
def test_an_updated_story_changed_since_is_kept_whole_unless_confirmed(confirm, bureaus, importer, editor):
    run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    second = run((2, PAGE_TWO_CHANGED), actor=importer)
    joined = Story.objects.get(headline=SECOND)
    edit_headline(joined, editor)
    add_photo(joined, editor)
    before = whole(joined)

    undone = undo_batch(second, actor=importer, confirmed=[joined.pk] if confirm else [])

    joined.refresh_from_db()
    if confirm:
        assert joined.headline == SECOND
        assert joined.paragraphs[-1].endswith("接受委员监督。")
        assert undone.kept == []
    else:
        assert whole(joined) == before
        assert [kept["story"] for kept in undone.kept] == [joined.pk]


def test_undone_in_reverse_order_batch_after_batch_takes_everything_back(bureaus, importer):
    first = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    second = run((2, PAGE_TWO_CHANGED), actor=importer)
    before = whole(Story.objects.get(headline=SECOND))

    undo_batch(second, actor=importer)
    restored = whole(Story.objects.get(headline=SECOND))
    undone = undo_batch(first, actor=importer)

    assert restored[0]["body"] == before[0]["body"][:-1] + [
        {**before[0]["body"][-1], "text": before[0]["body"][-1]["text"].replace("委员和群众", "委员")}
    ]
    assert Story.objects.count() == 0
    assert undone.kept == []


def test_published_and_withdrawn_stories_are_never_removed_the_rest_is_undone(bureaus, importer, chief):
    batch = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    first = factories.publish(Story.objects.get(headline=FIRST))
    second = factories.publish(Story.objects.get(headline=SECOND))
    transition(second, Action.WITHDRAW, actor=chief, comment="重复")

    undone = undo_batch(batch, actor=importer, confirmed=[first.pk, second.pk])

    assert set(Story.objects.values_list("headline", flat=True)) == {FIRST, SECOND}
    assert Story.objects.get(pk=first.pk).status == Story.Status.PUBLISHED
    assert {(kept["story"], kept["reason"]) for kept in undone.kept} == {
        (first.pk, "已发布或已撤稿"),
        (second.pk, "已发布或已撤稿"),
    }


def test_progress_is_told_up_to_the_whole(bureaus, importer):
    batch = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    steps = []

    undo_batch(batch, actor=importer, progress=lambda step, done, total: steps.append((done, total)))

    assert steps[0] == (0, 3)
    assert steps[-1] == (3, 3)


def test_the_batch_page_asks_about_changed_stories_and_says_what_it_kept(client, bureaus, importer, editor, worked):
    batch = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    first = Story.objects.get(headline=FIRST)
    edit_body(first, editor)
    published = factories.publish(Story.objects.get(headline="视察城市供水保障工作"))
    client.force_login(importer)
    page_url = reverse("admin:newsroom_importbatch_change", args=[batch.pk])

    page = client.get(page_url).content.decode()
    job_page = worked(client.post, reverse("admin:newsroom_importbatch_undo", args=[batch.pk]))
    messages = texts(job_page, ".messagelist li")
    after = client.get(page_url).content.decode()

    assert f'name="confirmed" value="{first.pk}"' in page
    assert "也撤销这篇的改动" in page
    assert f'name="confirmed" value="{published.pk}"' not in page
    assert "视察城市供水保障工作" in page
    assert set(Story.objects.values_list("pk", flat=True)) == {first.pk, published.pk}
    assert any("保留了 2 篇" in message and FIRST in message for message in messages)
    assert "撤销时保留的稿件（2 篇）" in after


def test_a_story_ticked_on_the_batch_page_is_undone(client, bureaus, importer, editor, worked):
    batch = run((1, PAGE_ONE), actor=importer)
    first = Story.objects.get(headline=FIRST)
    edit_headline(first, editor)
    client.force_login(importer)

    worked(client.post, reverse("admin:newsroom_importbatch_undo", args=[batch.pk]), {"confirmed": [str(first.pk)]})

    assert Story.objects.count() == 0


def test_imported_and_restored_stories_keep_their_character_counts(bureaus, importer):
    """The records page sums each story's characters as stored: an import and an undo write them too."""
    run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    changed = run((2, PAGE_TWO_CHANGED), actor=importer)
    updated = Story.objects.get(headline=SECOND)
    assert updated.char_count == characters_of(updated.headline, updated.body)

    undo_batch(changed, actor=importer)

    for story in Story.objects.all():
        assert story.char_count == characters_of(story.headline, story.body) > 0
