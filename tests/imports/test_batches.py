import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from newsroom.models import ImportBatch, Story
from newsroom.services.imports import Upload, import_bulletin, undo_batch
from tests import factories
from tests.pages import texts

from .pages import PAGE_ONE, PAGE_TWO, PAGE_TWO_CHANGED

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 11, 20)


def run(*pages, actor=None):
    uploads = [Upload(f"page-{number}.txt", text.encode()) for number, text in pages]
    return import_bulletin(uploads, actor=actor, issue_number=1190, issue_date=DATE)


def test_a_batch_records_who_when_which_files_and_counts(bureaus, importer):
    plan, batch = run((1, PAGE_ONE), actor=importer)

    assert batch.created_by == importer
    assert [file["name"] for file in batch.files] == ["page-1.txt"]
    assert len(batch.files[0]["sha256"]) == 64
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 0, 0)
    assert batch.items.count() == 2


def test_undo_removes_what_a_batch_created_and_restores_what_it_changed(bureaus, importer):
    _, first = run((1, PAGE_ONE), (2, PAGE_TWO), actor=importer)
    _, second = run((2, PAGE_TWO_CHANGED), actor=importer)
    joined = Story.objects.get(headline="凝聚共识促发展")
    assert joined.paragraphs[-1].endswith("接受委员和群众监督。")

    undo_batch(second, actor=importer)

    joined.refresh_from_db()
    assert joined.paragraphs[-1].endswith("接受委员监督。")
    undo_batch(first, actor=importer)
    assert Story.objects.count() == 0
    assert ImportBatch.objects.get(pk=first.pk).state == "undone"


def test_a_published_story_stays_when_its_batch_is_undone(bureaus, importer):
    _, batch = run((1, PAGE_ONE), actor=importer)
    published = factories.publish(Story.objects.first())

    undone = undo_batch(batch, actor=importer)

    assert list(Story.objects.all()) == [published]
    assert undone.kept == [{"story": published.pk, "headline": published.headline, "reason": "已发布或已撤稿"}]


def test_a_batch_is_undone_once(bureaus, importer):
    _, batch = run((1, PAGE_ONE), actor=importer)
    undo_batch(batch, actor=importer)

    with pytest.raises(ValidationError, match="已经撤销过了"):
        undo_batch(batch, actor=importer)


def test_batches_are_listed_for_importers_and_undone_from_the_admin(client, bureaus, importer, worked):
    _, batch = run((1, PAGE_ONE), actor=importer)
    client.force_login(importer)

    listing = client.get(reverse("admin:newsroom_importbatch_changelist"))
    response = worked(client.post, reverse("admin:newsroom_importbatch_undo", args=[batch.pk]))

    assert "导入批次 #" in listing.content.decode()
    assert texts(response, ".messagelist li") == [f"{batch} 已撤销。"]
    assert Story.objects.count() == 0


def test_contributors_do_not_see_import_batches(client, bureaus, importer, contributor):
    _, batch = run((1, PAGE_ONE), actor=importer)
    client.force_login(contributor)

    assert client.get(reverse("admin:newsroom_importbatch_changelist")).status_code == 403
    assert client.post(reverse("admin:newsroom_importbatch_undo", args=[batch.pk])).status_code in (403, 404)
    assert Story.objects.count() == 2
