"""Round trips: a bundle exported and imported again is the same issue, and says so."""

import datetime

import pytest

from newsroom.bulletin.export import export_issue
from newsroom.models import Issue, Story
from newsroom.services.imports import Upload, import_bulletin

from .pages import PAGE_ONE, PAGE_TWO
from .test_bundles import chief_importer

pytestmark = pytest.mark.django_db


def import_pages():
    return import_bulletin(
        [Upload("page-1.txt", PAGE_ONE.encode()), Upload("page-2.txt", PAGE_TWO.encode())],
        issue_number=1190,
        issue_date=datetime.date(2026, 11, 20),
    )


def test_a_story_run_across_pages_comes_back_from_its_bundle_unchanged(bureaus):
    import_pages()
    story = Story.objects.get(headline="凝聚共识促发展")
    paragraphs = story.paragraphs
    bundle = export_issue(Issue.objects.get(number=1190))

    plan, batch = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief_importer())

    assert plan.errors == []
    assert plan.summary()["unchanged"] == 3 and plan.summary()["updated"] == 0
    story.refresh_from_db()
    assert story.paragraphs == paragraphs
    assert story.paragraphs.count("办理情况在下一次常委会会议上通报，接受委员监督。") == 1
    assert export_issue(Issue.objects.get(number=1190)) == bundle
