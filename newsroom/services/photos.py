"""Writing photos: the checked original kept privately, and the renditions readers get.

All or nothing: a photo that fails anywhere leaves no row and no file behind.
Files are not part of a database transaction, so every file written is noted,
and deleted again if the work it belongs to fails.

Renditions are made once per photo, width and format, here and only here;
pages only read them (``Photo.picture``) and never resize on request. A large
original's renditions (over ``PHOTO_BACKGROUND_PIXELS``) are made by a background
worker (``make_renditions``), so that its upload returns at once; until they are
made, pages show the story without that picture.
"""

import contextvars
import secrets
import uuid
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone

from newsroom import content, images
from newsroom.models import Photo, Rendition, Story

# The files written inside the innermost ``all_or_nothing`` block, as (storage, name).
_written = contextvars.ContextVar("photo_files_written", default=None)


@contextmanager
def all_or_nothing():
    """A transaction that also takes back its files: on any error, rows roll back and files are deleted.

    Blocks nest: files written in an inner block that succeeded are the outer
    block's to delete if the outer one fails (several photos of one story).
    """
    outer = _written.get()
    mine = []
    token = _written.set(mine)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        delete_files(mine)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(mine)


def store_file(field_file, name, data):
    """Save bytes through the field's storage, noting the file for ``all_or_nothing``."""
    field_file.save(name, ContentFile(data), save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def delete_files(files):
    for storage, name in files:
        storage.delete(name)


def add_photo(story, *, upload, caption, alt, photographer=None, photographer_title=None, position=None):
    """Check ``upload``, keep it as the private original, make its renditions; return the new Photo.

    ``photographer_title`` None takes the photographer's present title. Raises
    ``ValidationError`` (with a message naming the file) before anything is written.
    """
    checked = images.open_upload(upload)
    title = ""
    if photographer is not None:
        title = photographer.title if photographer_title is None else photographer_title
    with all_or_nothing():
        if position is None:
            position = next_position(story)
        photo = Photo(
            story=story,
            caption=caption,
            alt=alt,
            photographer=photographer,
            photographer_title=title,
            position=position,
            width=checked.width,
            height=checked.height,
        )
        # The image was checked above, more thoroughly than its field would.
        photo.full_clean(exclude=["story", "image"])
        store_file(photo.image, original_name(checked), checked.data)
        photo.save()
        _renditions_of(photo, checked)
        story.updated_at = story_changed(story.pk)
    return photo


def _renditions_of(photo, checked):
    """Make the new original's renditions now, or, for a large one, queue them for a worker."""
    if checked.width * checked.height > settings.PHOTO_BACKGROUND_PIXELS:
        transaction.on_commit(partial(make_renditions.enqueue, photo.pk))
    else:
        _make(photo, checked.image, missing_renditions(photo))


@task
def make_renditions(photo_id):
    """A large photo's renditions, made by a worker; the pages that show it change with them."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None and ensure_renditions(photo):
        content.changed()


def story_changed(story_pk):
    """A story changes with its photos and credits: its ``updated_at`` moves on; returns the new value.

    Edit conflicts and an import's undo tell a changed story by it.
    """
    now = timezone.now()
    Story.objects.filter(pk=story_pk).update(updated_at=now)
    return now


def save_photo(photo, upload=None):
    """Save a photo edited in place (the admin's form), and make its renditions: all of it or, on any error, none.

    A new original (``upload``, the file sent) is checked and kept as ``add_photo`` keeps
    one; the renditions of the original it replaces are dropped. ``photographer_title`` None takes
    the photographer's present title.
    """
    with all_or_nothing():
        if photo.photographer_title is None:
            photo.photographer_title = photo.photographer.title if photo.photographer_id else ""
        story_changed(photo.story_id)
        if upload is None:
            photo.full_clean(exclude=["story", "image"])
            photo.save()
            ensure_renditions(photo)
            return photo
        checked = images.open_upload(upload)
        photo.width, photo.height = checked.width, checked.height
        photo.full_clean(exclude=["story", "image"])
        store_file(photo.image, original_name(checked), checked.data)
        photo.save()
        _drop_stale(photo)
        _renditions_of(photo, checked)
    return photo


def next_position(story):
    last = story.photos.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def original_name(checked):
    """A name nobody can guess, with the extension of what the file really is.

    The name sent (``x-page.html``, ``IMG_0001.jpg``) is never kept: it could make
    the file pass for something else, and it tells where to look for it.
    """
    return f"{secrets.token_hex(16)}.{checked.extension}"


def ensure_renditions(photo):
    """Make the renditions ``photo`` lacks and return them; those already made are kept as they are.

    The original is opened only when something is missing. After a photo's
    original is replaced (in the admin), the old renditions are dropped and
    new ones made.
    """
    with all_or_nothing():
        source = None
        if _drop_stale(photo) or not photo.width:
            source = _open_original(photo)
            photo.width, photo.height = source.width, source.height
            photo.save(update_fields=["width", "height"])
        missing = missing_renditions(photo)
        if missing and source is None:
            source = _open_original(photo)
        made = _make(photo, source, missing)
    return made


def _open_original(photo):
    """The original's pixels, upright; it passes the same checks as an upload (the admin stores files as sent)."""
    try:
        return images.open_upload(photo.image).image
    finally:
        photo.image.close()


def missing_renditions(photo):
    """(width, format) of every rendition the photo should have and has not, for its present original."""
    have = set(photo.renditions.filter(source=photo.image.name).values_list("width", "format"))
    return [
        (width, image_format)
        for width in images.planned_widths(photo.width)
        for image_format in images.FORMATS
        if (width, image_format) not in have
    ]


def _drop_stale(photo):
    """Delete renditions of an earlier original; True if there were any."""
    stale = list(photo.renditions.exclude(source=photo.image.name))
    if not stale:
        return False
    files = [(rendition.file.storage, rendition.file.name) for rendition in stale]
    Rendition.objects.filter(pk__in=[rendition.pk for rendition in stale]).delete()
    # Only once the rows are surely gone: a rollback must not leave rows without files.
    transaction.on_commit(lambda: delete_files(files))
    return True


def _make(photo, source, missing):
    """Encode and store the ``missing`` (width, format) renditions of ``photo`` from the upright ``source``."""
    made = []
    # One token per batch: the public name says nothing of the original's name or of the story.
    token = uuid.uuid4().hex
    for width in sorted({width for width, _ in missing}):
        resized = images.resize(source, width)
        for image_format in images.FORMATS:
            if (width, image_format) not in missing:
                continue
            rendition = _save_rendition(photo, resized, image_format, token)
            if rendition is not None:
                made.append(rendition)
    return made


def _save_rendition(photo, resized, image_format, token):
    data = images.encode(resized, image_format)
    rendition = Rendition(
        photo=photo,
        source=photo.image.name,
        width=resized.width,
        height=resized.height,
        format=image_format,
        filesize=len(data),
    )
    store_file(rendition.file, f"{token}-{resized.width}w.{images.RENDITION_EXTENSIONS[image_format]}", data)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Another worker made the same rendition meanwhile: keep theirs, drop ours.
        rendition.file.storage.delete(rendition.file.name)
        return None
    return rendition


def delete_photo(photo):
    """Delete a photo, its original and its renditions: a removed photo must stop being fetchable."""
    files = [(rendition.file.storage, rendition.file.name) for rendition in photo.renditions.all()]
    if photo.image:
        files.append((photo.image.storage, photo.image.name))
    with transaction.atomic():
        photo.delete()
        story_changed(photo.story_id)
        transaction.on_commit(lambda: delete_files(files))


def delete_photos(photos):
    """Delete many photos at once, with their originals and renditions (files once the deletion commits).

    For stories that go with them (an import undone): their ``updated_at`` is left as it is.
    """
    photos = photos.order_by()
    files = [
        (rendition.file.storage, rendition.file.name)
        for rendition in Rendition.objects.filter(photo__in=photos).only("file")
    ]
    files += [(photo.image.storage, photo.image.name) for photo in photos.only("image") if photo.image]
    with transaction.atomic():
        photos.delete()
        transaction.on_commit(lambda: delete_files(files))
