"""An imported PDF keeps each printed page: its own PDF, its images, each story's zones on it."""

import datetime
import os

import pytest
from django.conf import settings

from newsroom.models import ImportBatch, Page, PageImage, Story, Zone
from newsroom.services import pages as page_services
from newsroom.services.imports import Upload, import_bulletin, undo_batch
from tests.bulletin import pdfpages

pytestmark = pytest.mark.django_db
DATE = datetime.date(2024, 7, 8)
CONTINUED = "让协商成果转化为发展实效"


@pytest.fixture(autouse=True, scope="module")
def font():
    pdfpages.needs_font()


@pytest.fixture(scope="module")
def issue_pdf():
    return pdfpages.two_page_issue()


def run(data, actor=None, name="issue-7.pdf"):
    plan, batch = import_bulletin(
        [Upload(name, data)], actor=actor, issue_number=7, issue_date=DATE, page_images_now=True
    )
    assert plan.errors == []
    return plan, batch


def media_files():
    root = settings.MEDIA_ROOT
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names
    )


def test_each_page_of_an_imported_pdf_is_kept_as_a_pdf_of_its_own_with_its_images(bureaus, issue_pdf):
    run(issue_pdf)

    pages = list(Page.objects.filter(issue__number=7).order_by("number"))
    assert [page.number for page in pages] == [1, 2]
    for page in pages:
        with page.pdf.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF") and page_services.pageimages.page_count(data) == 1
        assert page.pdf_sha256 == page_services.pageimages.sha256(data)
        images = {(image.width, image.format) for image in page.images.filter(source=page.pdf_sha256)}
        assert images == {(width, kind) for width in (600, 1200, 2000) for kind in ("webp", "jpeg")}
        # The page keeps its proportions (A3), and each image is a file readers can fetch.
        for image in page.images.all():
            assert abs(image.height / image.width - 1191 / 842) < 0.01
            assert image.file.storage.exists(image.file.name) and image.url.startswith("/media/")


def test_each_story_gets_the_zones_it_was_read_with_and_a_continuation_adds_its_own_page(bureaus, issue_pdf):
    plan, _ = run(issue_pdf)

    for planned in plan.planned:
        story = planned.story or planned.target.story
        for zone in planned.item.zones:
            stored = story.zones.get(page__number=zone["page"])
            assert [stored.x, stored.y, stored.w, stored.h] == pytest.approx([zone[k] for k in "xywh"], abs=1e-4)
    continued = Story.objects.get(headline=CONTINUED)
    assert sorted(continued.zones.values_list("page__number", flat=True)) == [1, 2]
    assert continued.continued_on_page == 2


def test_the_same_pdf_imported_again_writes_no_file_and_no_row(bureaus, issue_pdf):
    run(issue_pdf)
    files, zones = media_files(), list(Zone.objects.values_list("pk", "x", "y", "w", "h"))
    images = list(PageImage.objects.values_list("pk", flat=True))

    _, batch = run(issue_pdf, name="again.pdf")

    assert media_files() == files
    assert list(Zone.objects.values_list("pk", "x", "y", "w", "h")) == zones
    assert list(PageImage.objects.values_list("pk", flat=True)) == images
    assert batch.printed == {"pages": [], "zones": []}


def test_undo_takes_the_pages_and_zones_back(bureaus, issue_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, batch = run(issue_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        undo_batch(batch, actor=None)

    assert Zone.objects.count() == 0
    assert not Story.objects.exists()
    for page in Page.objects.all():
        assert not page.pdf and page.pdf_sha256 == "" and not page.images.exists()
    assert media_files() == []
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.UNDONE


def test_undo_leaves_a_zone_moved_since(bureaus, issue_pdf, editor):
    _, first = run(issue_pdf)
    story = Story.objects.get(headline="视察城乡供水一体化项目")
    page = story.zones.get().page
    moved = [{"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.1}]
    page_services.set_zones(story, page, moved)
    # A second batch reads the page again: the zone goes back to the reading, and is noted on that batch.
    _, second = run(issue_pdf, name="again.pdf")
    assert second.printed["zones"] == [
        {"story": story.pk, "page": page.pk, "before": moved, "after": page_services.zones_on(story, page)}
    ]
    page_services.set_zones(story, page, moved)  # and someone moves it once more

    undo_batch(second, actor=None, confirmed=[story.pk])

    assert page_services.zones_on(story, page) == moved
