"""Script and HTML in every field a person or a file can fill is shown as text: pages, feeds, admin, exports."""

import csv
import io
import json
import zipfile
from xml.etree import ElementTree

import pytest

from newsroom.bulletin.export import export_issue
from newsroom.models import Issue, Story
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.stories import CreditInput, PhotoInput
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
HOSTILE = f"{SCRIPT}{IMG}"
RAW = ["<script>alert", "<img src=x", "onerror=alert(2)>"]


def assert_shown_as_text(body, where):
    for fragment in RAW:
        assert fragment not in body, (where, fragment)


@pytest.fixture
def hostile(regions, chief):
    person = factories.correspondent(SCRIPT, unit=IMG)
    issue = factories.issue(number=1190)
    story = factories.story(
        headline=f"标题{HOSTILE}",
        kicker=f"引题{SCRIPT}",
        subheadline=f"副题{IMG}",
        paragraphs=(f"正文{HOSTILE}", '第二段 "quoted" & <b>bold</b>'),
        subheads=[(1, f"小标题{HOSTILE}")],
        region=factories.region("minle"),
        bureau=factories.bureau("zhangye"),
        issue=issue,
        page=1,
        credits=[CreditInput(person)],
        photos=[PhotoInput(image=factories.jpeg(), caption=f"图说{HOSTILE}", alt=f"替代{IMG}", photographer=person)],
    )
    factories.publish(story)
    # On its printed page too: the zone's link is named by the headline.
    factories.zone(story, factories.printed(issue.pages.get(number=1)), 0.1, 0.1, 0.5, 0.3)
    transition(story, Action.CORRECT, actor=chief, comment=f"更正{HOSTILE}")
    story.refresh_from_db()
    return {"story": story, "person": person, "issue": issue}


def test_every_public_page_shows_the_fields_as_text(client, hostile):
    story, person = hostile["story"], hostile["person"]
    pages = [
        "/",
        "/articles/",
        f"/articles/?q={SCRIPT}",
        f"/articles/?correspondent={person.pk}",
        f"/articles/{story.pk}/",
        "/regions/zhangye/",
        "/bureaus/zhangye/",
        f"/correspondents/{person.pk}/",
        "/issues/",
        "/issues/1190/",
        "/issues/1190/pages/1/",
        "/issues/calendar/2026/11/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode(), url)

    page = client.get(f"/articles/{story.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    for text in ["标题", "引题", "副题", "正文", "小标题", "图说", "更正"]:
        assert f"{text}&lt;" in page, text


@pytest.mark.parametrize("url", ["/feeds/latest/", "/feeds/regions/zhangye/"])
def test_feeds_carry_the_fields_as_text(client, hostile, url):
    response = client.get(url)
    tree = ElementTree.fromstring(response.content)
    item = tree.find("channel/item")

    # The title is plain text; the description is HTML, in which the script is escaped text.
    assert SCRIPT in item.findtext("title")
    description = item.findtext("description")
    assert_shown_as_text(description, url)
    assert "&lt;script&gt;" in description


def test_the_sitemap_is_well_formed(client, hostile):
    ElementTree.fromstring(client.get("/sitemap-stories.xml").content)


def test_admin_pages_show_the_fields_as_text(client, chief, hostile):
    story, person = hostile["story"], hostile["person"]
    client.force_login(chief)
    pages = [
        "/admin/",
        "/admin/newsroom/story/",
        f"/admin/newsroom/story/?q={SCRIPT}",
        f"/admin/newsroom/story/{story.pk}/change/",
        f"/admin/newsroom/story/{story.pk}/preview/",
        f"/admin/newsroom/story/{story.pk}/versions/",
        "/admin/newsroom/correspondent/",
        f"/admin/newsroom/correspondent/{person.pk}/change/",
        "/admin/newsroom/correspondent/records/?start=2026-01-01&end=2027-12-31",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        # The admin's form fields hold the text escaped in their value; nothing runs.
        assert_shown_as_text(body, url)


def test_the_exported_bundle_keeps_the_text_exactly(hostile):
    bundle = zipfile.ZipFile(io.BytesIO(export_issue(hostile["issue"])))
    rows = list(csv.DictReader(io.StringIO(bundle.read("stories.csv").decode("utf-8-sig"))))

    assert any(HOSTILE in value for row in rows for value in row.values())
    json.loads(bundle.read("manifest.json"))


def test_an_imported_cell_is_text_on_every_page(client, regions, chief):
    importer = make_user("importer", roles.IMPORTER)
    factories.bureau("minle")
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["reference", "page", "position", "kind", "kicker", "headline", "bureau", "credits", "body"])
    writer.writerow(["x1", "1", "1", "article", SCRIPT, f"导入{IMG}", "minle", "通讯员 王某", f"正文{HOSTILE}"])
    plan, batch = import_bulletin(
        [Upload("stories.csv", table.getvalue().encode())],
        actor=importer,
        issue_number=1191,
        issue_date=factories.datetime.date(2026, 11, 21),
    )
    assert plan.errors == [], plan.errors
    story = Story.objects.get(reference="x1")
    factories.publish(story)

    for url in [f"/articles/{story.pk}/", "/articles/", "/issues/1191/", "/feeds/latest/"]:
        body = client.get(url).content.decode()
        assert_shown_as_text(body, url)
    client.force_login(importer)
    body = client.get(f"/admin/newsroom/importbatch/{batch.pk}/change/").content.decode()
    assert_shown_as_text(body, "import batch")
    assert Issue.objects.filter(number=1191).exists()
