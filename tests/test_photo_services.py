"""Adding photos: all or nothing, and every rendition made once, then reused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command

from newsroom import images
from newsroom.models import Photo, Rendition
from newsroom.services import photos as photo_services
from newsroom.services.stories import PhotoInput, add_photos

from . import factories
from .test_images import files_under, image_bytes, image_file, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media_in_tmp(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def encodes(monkeypatch):
    """Counts every rendition encoded, by format and width."""
    made = []
    encode = images.encode

    def counting_encode(image, image_format):
        made.append((image_format, image.width))
        return encode(image, image_format)

    monkeypatch.setattr(images, "encode", counting_encode)
    return made


@pytest.fixture
def story(regions):
    return factories.story(headline="委员开展义诊活动")


def test_add_photo_keeps_caption_credit_and_alt_and_makes_every_rendition(story, encodes, settings):
    person = factories.correspondent("鱼勇")

    photo = photo_services.add_photo(
        story,
        upload=image_file(size=(2000, 1500)),
        caption="委员为群众义诊。",
        alt="委员为老人量血压",
        photographer=person,
    )

    assert (photo.caption, photo.alt, photo.credit_line) == ("委员为群众义诊。", "委员为老人量血压", "通讯员 鱼勇 摄")
    assert (photo.width, photo.height, photo.position) == (2000, 1500, 0)
    assert sorted(encodes) == sorted((f, w) for w in (320, 640, 800, 1600) for f in ("webp", "jpeg"))
    renditions = list(photo.renditions.all())
    assert {(r.width, r.height) for r in renditions} == {(320, 240), (640, 480), (800, 600), (1600, 1200)}
    for rendition in renditions:
        assert rendition.source == photo.image.name
        assert rendition.file.name.startswith("photos/")
        assert rendition.filesize == rendition.file.size
    # Renditions are public media; the original is not among them.
    assert sorted(files_under(settings.MEDIA_ROOT)) == sorted(r.file.name for r in renditions)
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == [photo.image.name]


def test_a_title_given_for_the_photographer_is_printed_instead_of_theirs(story):
    person = factories.correspondent("吕建荣", title="记者")

    photo = photo_services.add_photo(
        story, upload=image_file(), caption="说明", alt="替代", photographer=person, photographer_title="本报记者"
    )

    assert photo.credit_line == "本报记者 吕建荣 摄"


def test_photos_are_added_after_those_already_there(story):
    first = photo_services.add_photo(story, upload=image_file(), caption="一", alt="一")
    second = photo_services.add_photo(story, upload=image_file(), caption="二", alt="二")

    assert (first.position, second.position) == (0, 1)
    assert [photo.caption for photo in story.photos.all()] == ["一", "二"]


def test_renditions_are_made_once_and_reused(story, encodes, client):
    photo = photo_services.add_photo(story, upload=image_file(size=(1000, 750)), caption="说明", alt="替代")
    assert len(encodes) == 8  # 320, 640, 800 and 1000 (not 1600: never wider than the original), twice each

    assert photo_services.ensure_renditions(photo) == []
    assert photo_services.ensure_renditions(Photo.objects.get(pk=photo.pk)) == []
    assert len(encodes) == 8

    # Readers' pages only read what was made.
    factories.publish(story)
    for url in ["/", "/articles/", story.get_absolute_url(), "/feeds/latest/"]:
        assert client.get(url).status_code == 200
    assert len(encodes) == 8
    assert Rendition.objects.count() == 8


def test_only_a_missing_rendition_is_made_again(story, encodes, settings):
    photo = photo_services.add_photo(story, upload=image_file(size=(1000, 750)), caption="说明", alt="替代")
    lost = photo.renditions.get(width=800, format="webp")
    lost.file.delete(save=False)
    lost.delete()
    encodes.clear()

    made = photo_services.ensure_renditions(photo)

    assert [(r.format, r.width) for r in made] == [("webp", 800)]
    assert encodes == [("webp", 800)]
    assert photo.renditions.count() == 8
    assert len(files_under(settings.MEDIA_ROOT)) == 8


def test_a_small_photo_is_never_enlarged(story, encodes):
    photo = photo_services.add_photo(story, upload=image_file(size=(500, 400)), caption="说明", alt="替代")

    assert sorted({r.width for r in photo.renditions.all()}) == [320, 500]
    assert len(encodes) == 4


def test_a_photo_stored_as_uploaded_gets_its_size_and_renditions(story, encodes):
    # What the admin does: the field takes the upload; the service makes the rest.
    photo = Photo(story=story, caption="说明", alt="替代", image=image_file("后台.png", "PNG", size=(900, 600)))
    photo.full_clean()
    photo.save()
    assert photo.width is None

    made = photo_services.ensure_renditions(photo)

    assert (photo.width, photo.height) == (900, 600)
    assert len(made) == len(encodes) == 8


def test_a_replaced_original_gets_new_renditions_and_the_old_ones_go(
    story, encodes, settings, django_capture_on_commit_callbacks
):
    photo = photo_services.add_photo(story, upload=image_file(size=(1000, 750)), caption="说明", alt="替代")
    old_files = sorted(r.file.name for r in photo.renditions.all())

    photo.image = image_file("new.jpg", size=(700, 700))
    photo.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = photo_services.ensure_renditions(photo)

    assert (photo.width, photo.height) == (700, 700)
    assert sorted({r.width for r in made}) == [320, 640, 700]
    assert set(photo.renditions.values_list("source", flat=True)) == {photo.image.name}
    assert not set(old_files) & set(files_under(settings.MEDIA_ROOT))


def test_several_photos_go_in_together_or_not_at_all(story, settings):
    good = PhotoInput(image=image_file("good.jpg"), caption="好", alt="好")
    bad = PhotoInput(image=ContentFile(b"GIF89a not really", name="bad.gif"), caption="坏", alt="坏")

    with pytest.raises(ValidationError, match="bad.gif"):
        add_photos(story, [good, bad])

    assert Photo.objects.count() == 0 and Rendition.objects.count() == 0
    assert stored_files(settings) == []


def test_a_failure_while_making_renditions_leaves_nothing(story, settings, monkeypatch):
    encode = images.encode
    calls = []

    def failing_encode(image, image_format):
        calls.append(image_format)
        if len(calls) == 3:
            raise OSError("disk full")
        return encode(image, image_format)

    monkeypatch.setattr(images, "encode", failing_encode)

    with pytest.raises(OSError, match="disk full"):
        photo_services.add_photo(story, upload=image_file(size=(1000, 750)), caption="说明", alt="替代")

    assert Photo.objects.count() == 0 and Rendition.objects.count() == 0
    assert stored_files(settings) == []


def test_a_caption_is_required_and_nothing_is_written_without_one(story, settings):
    with pytest.raises(ValidationError) as refusal:
        photo_services.add_photo(story, upload=image_file(), caption="", alt="替代")

    assert "caption" in refusal.value.message_dict
    assert Photo.objects.count() == 0 and stored_files(settings) == []


def test_a_rendition_another_worker_made_meanwhile_is_kept(story, settings):
    photo = photo_services.add_photo(story, upload=image_file(size=(400, 300)), caption="说明", alt="替代")
    before = files_under(settings.MEDIA_ROOT)
    source = images.open_upload(ContentFile(image_bytes(size=(400, 300)), name="again.jpg")).image

    # As if this worker had seen the rendition missing just before the other stored it.
    assert photo_services._make(photo, source, [(320, "webp")]) == []

    assert photo.renditions.count() == 4
    assert files_under(settings.MEDIA_ROOT) == before


def test_deleting_a_photo_deletes_its_files(story, settings, django_capture_on_commit_callbacks):
    photo = photo_services.add_photo(story, upload=image_file(), caption="说明", alt="替代")
    assert stored_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        photo_services.delete_photo(photo)

    assert Photo.objects.count() == 0 and Rendition.objects.count() == 0
    assert stored_files(settings) == []


def test_the_demo_paper_gets_renditions_for_its_photos(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())

    photos = list(Photo.objects.prefetch_related("renditions"))
    assert photos and all(photo.thumbnail and photo.article_picture for photo in photos)


def test_a_large_photos_renditions_are_made_by_a_worker_and_the_upload_returns_at_once(
    story, encodes, settings, django_capture_on_commit_callbacks
):
    settings.PHOTO_BACKGROUND_PIXELS = 2000 * 1500 - 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_services.add_photo(story, upload=image_file(size=(2000, 1500)), caption="会场。", alt="会场")

    # Nothing encoded in the request; the story shows no picture of it until the worker is done.
    assert encodes == [] and photo.picture("article") is None
    [queued] = default_task_backend.results
    assert (queued.task.name, queued.args) == ("make_renditions", [photo.pk])

    photo_services.make_renditions.call(photo.pk)

    photo = Photo.objects.get(pk=photo.pk)
    assert photo.picture("article") is not None
    assert sorted(encodes) == sorted((f, w) for w in (320, 640, 800, 1600) for f in ("webp", "jpeg"))
