"""A valid JPEG carrying a script, sent under a name a browser would run, is kept and served only as a JPEG.

The attack: a correspondent attaches a JPEG whose comment segment holds a
``<script>``, named ``x-page.html``; an editor who opens the original runs it.
"""

import csv
import datetime
import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from newsroom.bulletin.export import export_issue
from newsroom.models import Bureau, Issue, Photo, Region, Story
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.photos import add_photo
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.admin_forms import change_form_data
from tests.conftest import make_user
from tests.imports.pages import PAGE_ONE, PAGE_TWO

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>fetch('/admin/')</script>"
HOSTILE_NAMES = ["x-page.html", "x-code.js", "x.svg", "x.xhtml", "x.htm"]
# originals/YYYY/MM/<32 hex digits>.jpg: nothing of the name sent, nothing to guess.
STORED = re.compile(r"originals/\d{4}/\d{2}/[0-9a-f]{32}\.jpg")


def script_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG", comment=SCRIPT)
    data = buffer.getvalue()
    assert SCRIPT in data
    return data


def assert_served_as_a_jpeg_download(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert re.search(r'filename="[^"]+\.jpg"', response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == script_jpeg()


@pytest.fixture
def bureaus(regions):
    for region in Region.objects.filter(slug__in=["zhangye", "baiyin", "tianshui", "lanzhou"]):
        Bureau.objects.get_or_create(region=region)


@pytest.fixture
def draft(regions, contributor):
    return factories.story(headline="县政协开展调研", bureau=factories.bureau("zhangye"), created_by=contributor)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_script_jpeg_sent_through_the_admins_story_form_is_stored_and_served_as_a_jpeg(
    client, contributor, draft, name
):
    url = reverse("admin:newsroom_story_change", args=[draft.pk])
    client.force_login(contributor)
    data = change_form_data(
        client.get(url),
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": SimpleUploadedFile(name, script_jpeg(), "text/html"),
            "photos-0-caption": "委员为群众义诊。",
            "photos-0-alt": "委员为老人量血压",
            "photos-0-photographer_title": "",
            "photos-0-position": "0",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get(story=draft)
    assert STORED.fullmatch(photo.image.name), photo.image.name
    assert_served_as_a_jpeg_download(client.get(photo.image.url))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_script_jpeg_added_through_the_photo_service_is_stored_as_a_jpeg(client, editor, regions, name):
    story = factories.story()
    photo = add_photo(story, upload=ContentFile(script_jpeg(), name=name), caption="说明", alt="替代")

    assert STORED.fullmatch(photo.image.name), photo.image.name
    client.force_login(editor)
    assert_served_as_a_jpeg_download(client.get(photo.image.url))


def renamed_photos(bundle, name):
    """The bundle with every photo file called ``name`` (and photos.csv saying so)."""
    source = zipfile.ZipFile(io.BytesIO(bundle))
    buffer = io.BytesIO()
    photos = [entry for entry in source.namelist() if entry.startswith("photos/")]
    renames = {entry: f"photos/{number}-{name}" for number, entry in enumerate(photos)}
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.namelist():
            content = source.read(entry)
            if entry in renames:
                target.writestr(renames[entry], script_jpeg())
            elif entry == "photos.csv":
                rows = list(csv.reader(io.StringIO(content.decode())))
                text = io.StringIO()
                csv.writer(text).writerows([[renames.get(cell, cell) for cell in row] for row in rows])
                target.writestr(entry, text.getvalue())
            else:
                target.writestr(entry, content)
    assert renames
    return buffer.getvalue()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_script_jpeg_in_an_imported_bundle_is_stored_as_a_jpeg(client, bureaus, name):
    import_bulletin(
        [Upload("page-1.txt", PAGE_ONE.encode()), Upload("page-2.txt", PAGE_TWO.encode())],
        issue_number=1190,
        issue_date=datetime.date(2026, 11, 20),
    )
    story = Story.objects.get(headline="视察城市供水保障工作")
    add_photo(story, upload=factories.jpeg(), caption="委员察看水厂。", alt="水厂车间")
    bundle = renamed_photos(export_issue(Issue.objects.get(number=1190)), name)
    Story.objects.all().delete()
    Issue.objects.all().delete()

    plan, batch = import_bulletin([Upload("issue-1190.zip", bundle)], actor=make_user("importer", roles.IMPORTER))

    assert plan.errors == [], plan.errors
    photo = Photo.objects.get(story__headline="视察城市供水保障工作")
    assert STORED.fullmatch(photo.image.name), photo.image.name
    client.force_login(make_user("photo-editor", roles.EDITOR))
    assert_served_as_a_jpeg_download(client.get(photo.image.url))


def test_an_original_stored_under_its_sent_name_is_still_served_as_a_jpeg_download(client, editor, regions):
    story = factories.story()
    photo = add_photo(story, upload=ContentFile(script_jpeg(), name="x.jpg"), caption="说明", alt="替代")
    # As the admin's form stored originals before: under the name sent.
    old_name = photo.image.storage.save("originals/2026/11/x-page.html", ContentFile(script_jpeg()))
    Photo.objects.filter(pk=photo.pk).update(image=old_name)

    client.force_login(editor)
    response = client.get(reverse("newsroom:photo_original", args=[old_name]))

    assert_served_as_a_jpeg_download(response)
    assert 'filename="x-page.jpg"' in response["Content-Disposition"]


def test_a_stored_file_that_is_no_image_is_never_served_as_html(client, editor, regions):
    story = factories.story()
    photo = add_photo(story, upload=factories.jpeg(), caption="说明", alt="替代")
    name = photo.image.storage.save("originals/2026/11/page.html", ContentFile(b"<html>" + SCRIPT))
    Photo.objects.filter(pk=photo.pk).update(image=name)

    client.force_login(editor)
    response = client.get(reverse("newsroom:photo_original", args=[name]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_original_of_a_draft_is_served_only_to_who_may_see_the_draft(client, contributor, draft):
    photo = add_photo(draft, upload=ContentFile(script_jpeg(), name="IMG_0001.jpg"), caption="说明", alt="替代")
    other = make_user("other-contributor", roles.CONTRIBUTOR)
    editor = make_user("photo-editor", roles.EDITOR)

    for user, expected in [(contributor, 200), (other, 403), (editor, 403)]:
        client.force_login(user)
        assert client.get(photo.image.url).status_code == expected, user

    transition(draft, Action.SUBMIT, actor=contributor)
    client.force_login(editor)
    assert client.get(photo.image.url).status_code == 200
