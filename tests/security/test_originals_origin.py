"""Photo originals can come from a host of their own (``ORIGINALS_ORIGIN``), by links signed for one person.

A file that a browser did render on that host could reach neither the admin nor a session:
the host answers for originals and nothing else, and a link works only for whom it was made,
for that file, for a few minutes, and only while that person may still see the story.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from freezegun import freeze_time

from newsroom.services import roles
from newsroom.services.photos import add_photo
from tests import factories
from tests.conftest import make_user

from .test_script_uploads import assert_served_as_a_jpeg_download, script_jpeg

pytestmark = pytest.mark.django_db

ORIGIN = "https://originals.testserver"
HOST = "originals.testserver"


@pytest.fixture(autouse=True)
def originals_host(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.ORIGINALS_ORIGIN = ORIGIN
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", HOST]


@pytest.fixture
def photo(regions):
    story = factories.story()
    return add_photo(story, upload=ContentFile(script_jpeg(), name="x-page.html"), caption="说明", alt="替代")


def follow_to_originals_host(client, response):
    """The redirect's target fetched as a browser would: on the other host, with no cookie of the site."""
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == ORIGIN
    client.cookies.clear()
    return client.get(target.path, parse_qs(target.query), HTTP_HOST=HOST, secure=True)


def test_staff_are_sent_to_the_originals_host_and_get_the_file_there_as_a_download(client, photo):
    client.force_login(make_user("photo-editor", roles.EDITOR))

    response = client.get(photo.image.url)

    assert "private" in response["Cache-Control"]
    assert_served_as_a_jpeg_download(follow_to_originals_host(client, response))


def test_the_site_host_no_longer_serves_the_bytes_itself(client, photo):
    client.force_login(make_user("photo-editor", roles.EDITOR))

    response = client.get(photo.image.url)

    assert response.status_code == 302
    assert not hasattr(response, "streaming_content")


def test_the_originals_host_serves_nothing_else(client, photo):
    for path in ["/admin/", "/admin/login/", "/", "/articles/", "/static/css/site.css"]:
        response = client.get(path, HTTP_HOST=HOST, secure=True)
        assert response.status_code == 404, path
        assert "这个地址只提供图片原图。" in response.content.decode()


def test_without_a_link_or_with_a_forged_one_nothing_is_served(client, photo):
    assert client.get(photo.image.url, HTTP_HOST=HOST, secure=True).status_code == 403
    forged = client.get(photo.image.url, {"link": "eyJ1c2VyIjoxfQ:forged"}, HTTP_HOST=HOST, secure=True)
    assert forged.status_code == 403


def test_a_link_works_for_its_file_only(client, photo, regions):
    other = add_photo(factories.story(), upload=factories.jpeg(), caption="另一张", alt="替代")
    client.force_login(make_user("photo-editor", roles.EDITOR))
    link = parse_qs(urlsplit(client.get(photo.image.url)["Location"]).query)

    response = client.get(other.image.url, link, HTTP_HOST=HOST, secure=True)

    assert response.status_code == 403


def test_a_link_expires(client, photo, settings):
    settings.ORIGINALS_LINK_SECONDS = 300
    client.force_login(make_user("photo-editor", roles.EDITOR))
    with freeze_time("2026-12-04 08:00:00"):
        sent = client.get(photo.image.url)
    with freeze_time("2026-12-04 08:06:00"):
        response = follow_to_originals_host(client, sent)

    assert response.status_code == 403


def test_a_link_stops_working_once_its_holder_may_no_longer_see_the_story(client, photo):
    author = make_user("photo-author", roles.CONTRIBUTOR)
    photo.story.created_by = author
    photo.story.save(update_fields=["created_by"])
    client.force_login(author)
    sent = client.get(photo.image.url)

    photo.story.created_by = make_user("someone-else", roles.CONTRIBUTOR)
    photo.story.save(update_fields=["created_by"])

    assert follow_to_originals_host(client, sent).status_code == 403


def test_who_may_not_see_the_story_gets_no_link(client, photo):
    client.force_login(make_user("stranger", roles.CONTRIBUTOR))

    assert client.get(photo.image.url).status_code == 403
