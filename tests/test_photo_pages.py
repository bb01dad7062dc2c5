"""The photo report as readers see it: gallery with captions, credits and alt text, renditions only."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory

from newsroom import images
from newsroom.models import Photo, Story
from newsroom.services import photos as photo_services
from newsroom.services import roles
from newsroom.services.stories import CreditInput, PhotoInput
from newsroom.staff_views import photo_original

from . import factories
from .test_images import image_file, sideways_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media_in_tmp(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def report(regions):
    """A published photo report of two photos by 通讯员 鱼勇, the first of them sideways with a GPS fix."""
    person = factories.correspondent("鱼勇")
    story = factories.story(
        headline="西和县政协卫生界委员开展义诊活动",
        kind=Story.Kind.PHOTO,
        region=factories.region("xihe"),
        paragraphs=("6月28日，委员们在集市为群众义诊。",),
        credits=[CreditInput(person, "photo")],
        photos=[
            PhotoInput(
                image=ContentFile(sideways_image("JPEG"), name="DSC_0001.jpg"),
                caption="委员为群众量血压。",
                alt="一位委员为老人量血压",
                photographer=person,
            ),
            PhotoInput(
                image=image_file("DSC_0002.jpg", size=(1800, 1200)),
                caption="群众排队咨询。",
                alt="群众在义诊台前排队",
                photographer=person,
            ),
        ],
    )
    return factories.publish(story)


def test_the_photo_report_shows_each_photo_with_caption_credit_and_alt_text(client, report):
    page = client.get(report.get_absolute_url()).content.decode()

    gallery = page[page.index('<div class="gallery">') :]
    assert gallery.count("<figure>") == 2 and gallery.count("<picture>") == 2
    assert '<figcaption>委员为群众量血压。 <span class="photo-credit">通讯员 鱼勇 摄</span></figcaption>' in page
    assert '<figcaption>群众排队咨询。 <span class="photo-credit">通讯员 鱼勇 摄</span></figcaption>' in page
    assert 'alt="一位委员为老人量血压"' in page and 'alt="群众在义诊台前排队"' in page
    assert page.index("委员为群众量血压") < page.index("群众排队咨询")
    # The first photo is fetched at once, those below it as the reader scrolls to them.
    first, second = re.findall(r"<img [^>]+>", gallery)
    assert 'loading="lazy"' not in first and 'loading="lazy"' in second


def test_the_gallery_offers_webp_and_jpeg_renditions_by_width(client, report):
    page = client.get(report.get_absolute_url()).content.decode()
    second = report.photos.all()[1]
    by_key = {(r.format, r.width): r.file.url for r in second.renditions.all()}

    assert (
        f'<source type="image/webp" srcset="{by_key["webp", 800]} 800w, {by_key["webp", 1600]} 1600w" '
        'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)">'
    ) in page
    assert f'<img src="{by_key["jpeg", 800]}" srcset="{by_key["jpeg", 800]} 800w, {by_key["jpeg", 1600]} 1600w"' in page
    assert 'width="800" height="533"' in page
    # The sideways photo is shown upright: 40 wide, 60 high.
    assert 'width="40" height="60"' in page


def test_public_pages_never_link_the_original(client, report):
    originals = [photo.image for photo in report.photos.all()]

    for url in ["/", "/articles/", report.get_absolute_url(), "/feeds/latest/"]:
        page = client.get(url).content.decode()
        for original in originals:
            assert original.url not in page and original.name not in page, url
        assert "/staff/originals/" not in page and "DSC_000" not in page, url


def test_lists_show_the_lead_photos_thumbnail(client, report):
    page = client.get("/articles/").content.decode()
    lead = report.photos.all()[0]
    thumbs = {(r.format, r.width): r.file.url for r in lead.renditions.all()}

    item = re.search(r'<a class="thumb".*?</a>', page, re.S).group(0)
    assert f'srcset="{thumbs["webp", 40]} 40w" sizes="8rem"' in item
    assert f'<img src="{thumbs["jpeg", 40]}" srcset="{thumbs["jpeg", 40]} 40w" sizes="8rem" alt=""' in item
    assert 'loading="lazy"' in item
    # The second photo is not the lead: lists show one picture per story.
    assert page.count('<a class="thumb"') == 1


def thumbnail_sources(client):
    item = re.search(r'<a class="thumb".*?</a>', client.get("/articles/").content.decode(), re.S)
    return set(re.findall(r'(/media/[^" ,]+)', item.group(0))) if item else set()


def thumbnail_files(photo):
    """The URLs of a photo's thumbnails: both formats, in each width a list offers, of its present original."""
    current = photo.renditions.filter(source=photo.image.name, width__in=images.widths("thumb", photo.width))
    return {rendition.file.url for rendition in current}


def test_the_thumbnail_is_the_first_photo_in_order_and_never_of_a_replaced_original(client, report):
    first, second = report.photos.all()
    first.position, second.position = second.position, first.position
    Photo.objects.bulk_update([first, second], ["position"])

    assert len(thumbnail_files(second)) == 4
    assert thumbnail_sources(client) == thumbnail_files(second)

    # A new original: its old renditions are stale, and lists show none until the new ones are made.
    second.image = image_file("new.jpg", size=(500, 400))
    second.save()
    assert thumbnail_sources(client) == set()

    photo_services.ensure_renditions(second)
    assert thumbnail_sources(client) == thumbnail_files(second)
    assert {url.rsplit("-", 1)[1] for url in thumbnail_sources(client)} == {
        "320w.jpg",
        "320w.webp",
        "500w.jpg",
        "500w.webp",
    }


def test_a_wide_photos_thumbnail_offers_two_widths(client, regions):
    factories.publish(
        factories.story(
            kind=Story.Kind.PHOTO, photos=[PhotoInput(image=image_file(size=(1800, 1200)), caption="说明", alt="替代")]
        )
    )

    page = client.get("/articles/").content.decode()

    assert re.search(r'<img src="[^"]+-320w\.jpg" srcset="[^"]+-320w\.jpg 320w, [^"]+-640w\.jpg 640w"', page)


def test_the_feed_encloses_the_lead_photo_as_a_jpeg_rendition(client, report):
    response = client.get("/feeds/latest/")
    item = ET.fromstring(response.content).find("channel/item")
    enclosure = item.find("enclosure")
    lead = report.photos.all()[0].renditions.get(format="jpeg", width=40)

    assert enclosure.get("url") == f"http://testserver{lead.file.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == str(lead.filesize)


def test_stories_without_photos_have_no_enclosure_and_no_thumbnail(client, regions):
    factories.published_story(headline="没有图片的稿件")

    assert ET.fromstring(client.get("/feeds/latest/").content).find("channel/item/enclosure") is None
    assert '<a class="thumb"' not in client.get("/articles/").content.decode()


# The original, for staff only.


def original_request(user, photo):
    request = RequestFactory().get(photo.image.url)
    request.user = user
    return request


def test_editors_get_the_original_as_it_was_sent(report):
    photo = report.photos.all()[0]
    editor = factories.staff("photo-editor", roles.EDITOR)

    response = photo_original(original_request(editor, photo), photo.image.name)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sideways_image("JPEG")
    assert response["Cache-Control"] == "private, no-store"


def test_a_contributor_gets_only_the_originals_of_their_own_stories(report):
    photo = report.photos.all()[0]
    contributor = factories.staff("someone-else", roles.CONTRIBUTOR)

    with pytest.raises(PermissionDenied):
        photo_original(original_request(contributor, photo), photo.image.name)

    report.created_by = contributor
    report.save(update_fields=["created_by"])
    assert photo_original(original_request(contributor, photo), photo.image.name).status_code == 200


def test_readers_are_sent_to_log_in_and_unknown_names_are_not_found(report):
    photo = report.photos.all()[0]

    response = photo_original(original_request(AnonymousUser(), photo), photo.image.name)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    editor = factories.staff("photo-editor", roles.EDITOR)
    with pytest.raises(Http404):
        photo_original(original_request(editor, photo), "originals/../../etc/passwd")
