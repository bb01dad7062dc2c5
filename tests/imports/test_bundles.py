"""Issue bundles: the export of an issue imports into an empty database as the same issue."""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission

from newsroom.bulletin.export import export_issue
from newsroom.models import Correspondent, Issue, Story
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.photos import add_photo
from tests import factories
from tests.conftest import make_user

from .pages import PAGE_ONE, PAGE_TWO

pytestmark = pytest.mark.django_db


def snapshot(issue_number):
    """What a reader and an editor see of an issue, in a form that compares across databases."""
    stories = (
        Story.objects.filter(issue__number=issue_number)
        .select_related("bureau__region", "region")
        .prefetch_related("credits__correspondent", "photos__photographer", "topics")
        .order_by("page", "position", "headline")
    )
    return [
        (
            story.kind,
            story.kicker,
            story.headline,
            story.subheadline,
            story.event_date,
            story.bureau.slug if story.bureau else None,
            story.region.slug if story.region else None,
            story.page,
            story.position,
            story.continued_from_page,
            story.continued_on_page,
            story.continuation_start,
            story.body,
            story.status,
            story.published_at,
            story.correction,
            story.corrected_at,
            story.withdrawn_reason,
            [topic.name for topic in story.topics.all()],
            [(c.correspondent.name, c.title, c.contribution) for c in story.credits.all()],
            [
                (p.caption, p.alt, p.photographer.name if p.photographer else None, p.photographer_title)
                + (p.width, p.height)
                for p in story.photos.all()
            ],
        )
        for story in stories
    ]


def chief_importer():
    user = make_user("chief-importer", "总编")
    user.user_permissions.add(Permission.objects.get(codename="import_bulletin"))
    return user


def test_an_exported_issue_imports_into_an_empty_database_as_the_same_issue(bureaus):
    chief = chief_importer()
    import_bulletin(
        [Upload("page-1.txt", PAGE_ONE.encode()), Upload("page-2.txt", PAGE_TWO.encode())],
        issue_number=1190,
        issue_date=datetime.date(2026, 11, 20),
    )
    story = Story.objects.get(headline="视察城市供水保障工作")
    photographer = Correspondent.objects.get(name="孙晓东")
    add_photo(story, upload=factories.jpeg(64, 48), caption="委员察看水厂。", alt="水厂车间", photographer=photographer)
    factories.publish(story, when=datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC))
    before = snapshot(1190)
    bundle = export_issue(Issue.objects.get(number=1190))

    # An empty database: the regions and bureaus stay (they are the paper's setup), the issue goes.
    Story.objects.all().delete()
    Issue.objects.all().delete()
    Correspondent.objects.all().delete()
    plan, batch = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)

    assert plan.errors == [], plan.errors
    assert snapshot(1190) == before
    assert export_issue(Issue.objects.get(number=1190)) == bundle
    photo = Story.objects.get(headline="视察城市供水保障工作").photos.get()
    assert photo.renditions.exists()


def test_a_bundle_holds_manifest_tables_and_readable_pages(bureaus):
    import_bulletin(
        [Upload("page-1.txt", PAGE_ONE.encode()), Upload("page-2.txt", PAGE_TWO.encode())],
        issue_number=1190,
        issue_date=datetime.date(2026, 11, 20),
    )

    archive = zipfile.ZipFile(io.BytesIO(export_issue(Issue.objects.get(number=1190))))
    manifest = json.loads(archive.read("manifest.json"))
    page_two = archive.read("page-2.txt").decode()

    assert manifest["issue"] == 1190 and manifest["date"] == "2026-11-20"
    assert manifest["tables"] == ["stories.csv"]
    assert "凝聚共识促发展\n\n（接一版）\n\n协商成果如何落地见效" in page_two
    assert "本报天水讯(通讯员孙晓东 记者周文)11月19日" in page_two


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"stories.csv": "headline\n"}, "没有 manifest.json"),
        ({"manifest.json": "{not json"}, "不是有效的 JSON"),
        ({"manifest.json": json.dumps({"issue": "一", "date": "2026-11-20"})}, "issue 应是正整数"),
        ({"manifest.json": json.dumps({"issue": 5, "date": "2026-11-20", "tables": ["missing.csv"]})}, "不在 ZIP 里"),
        ({"manifest.json": "{}", "../etc/passwd": "x"}, "不安全"),
    ],
)
def test_a_broken_bundle_is_refused_whole(bureaus, files, expected):
    plan, batch = import_bulletin([Upload("issue.zip", zip_of(files))])

    assert batch is None
    assert any(expected in error.message for error in plan.errors), plan.errors
    assert Story.objects.count() == 0


def test_a_bundle_that_unpacks_past_the_limit_is_refused_before_it_is_read(bureaus, settings):
    settings.BULLETIN_MAX_BUNDLE_BYTES = 10_000
    bomb = zip_of({"manifest.json": "{}", "padding.txt": "0" * 50_000})

    plan, batch = import_bulletin([Upload("issue.zip", bomb)])

    assert batch is None
    assert "超过上限" in plan.errors[0].message


def test_a_non_zip_named_zip_is_refused(bureaus):
    plan, batch = import_bulletin([Upload("issue.zip", b"this is not a zip")])

    assert "不是有效的 ZIP" in plan.errors[0].message


def test_exported_tables_carry_no_formulas_and_read_back_as_typed(bureaus):
    chief = chief_importer()
    story = factories.story(
        headline='=HYPERLINK("http://evil.example","点我")',
        kicker="+引题",
        issue=factories.issue(number=1192),
        page=1,
        position=1,
    )

    bundle = export_issue(Issue.objects.get(number=1192))
    table = zipfile.ZipFile(io.BytesIO(bundle)).read("stories.csv").decode()

    assert "'=HYPERLINK" in table and ",'+引题," in table
    Story.objects.all().delete()
    Issue.objects.all().delete()
    plan, _ = import_bulletin([Upload("issue.zip", bundle)], actor=chief)
    assert plan.errors == []
    assert Story.objects.get().headline == story.headline
    assert Story.objects.get().kicker == "+引题"


def test_the_same_issue_always_makes_the_same_bundle(bureaus):
    factories.story(headline="稿件", issue=factories.issue(number=1193, date=datetime.date(2026, 11, 20)), page=1)
    issue = Issue.objects.get(number=1193)

    first = export_issue(issue)

    # Entries carry the issue's date, not the clock's, so exports made at any time are identical.
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert dates == {(2026, 11, 20, 6, 0, 0)}
    assert export_issue(issue) == first
