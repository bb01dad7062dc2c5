"""Writing stories: their fields, credits and photos, in one transaction.

The workflow status is not written here: ``newsroom.services.workflow`` owns it.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom import content, revisions
from newsroom.models import STORY_CONTENT_FIELDS, Credit, Story
from newsroom.services import photos as photo_services

EDITABLE_FIELDS = ("reference", *STORY_CONTENT_FIELDS)


@dataclass
class CreditInput:
    correspondent: object
    contribution: str = Credit.Contribution.TEXT
    # None takes the correspondent's present title; "" prints the name alone, as in "(李岩)".
    title: str | None = None


@dataclass
class PhotoInput:
    image: object
    caption: str
    alt: str
    photographer: object = None
    photographer_title: str | None = None


def can_edit(actor, story):
    """May ``actor`` change ``story``'s text, credits, photos and placement now?

    Authors while it is a draft (sent-back stories are drafts again); editors
    while it is in review; chief editors once it is published, to correct it.
    Withdrawn stories stay as they were.
    """
    if actor is None or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if not actor.has_perm("newsroom.change_story"):
        return False
    if story.status == Story.Status.DRAFT:
        if story.created_by_id == actor.pk:
            return True
        # A draft nobody owns (imported, say) is the desk's to finish.
        return story.created_by_id is None and actor.has_perm("newsroom.review_story")
    if story.status in (Story.Status.SUBMITTED, Story.Status.APPROVED):
        if actor.has_perm("newsroom.review_story"):
            return True
        # An importer may bring a corrected file for what they imported, until the desk approves it.
        return (
            story.status == Story.Status.SUBMITTED
            and story.created_by_id == actor.pk
            and actor.has_perm("newsroom.import_bulletin")
        )
    if story.status == Story.Status.PUBLISHED:
        return actor.has_perm("newsroom.publish_story")
    return False


class EditConflict(ValidationError):
    """Someone else saved the story after this editor opened it."""


def check_unchanged(story, expected_version):
    """Refuse a save based on an older copy than the one stored (no silent overwrite).

    ``expected_version`` is the ``updated_at`` the editor's form was opened
    with: every save and every transition moves it on. The row is locked
    until the transaction ends, so two saves cannot both pass.
    """
    current = Story.objects.select_for_update().filter(pk=story.pk).values_list("updated_at", flat=True).first()
    if current is not None and expected_version is not None and current != expected_version:
        last = revisions.versions_of(story).first()
        who = last.revision.user if last and last.revision.user else None
        when = timezone.localtime(last.revision.date_created).strftime("%H:%M:%S") if last else ""
        raise EditConflict(
            f"您打开之后，{who or '其他人'}在 {when} 保存了这篇稿件。您的修改尚未保存，内容仍在下面："
            "请在新窗口中查看对方的版本，合并后再保存。"
        )


@transaction.atomic
def create_story(*, created_by=None, actor=None, credits=(), photos=(), **fields):
    """A new story, as a draft. ``actor`` is who is writing it (None for the system)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"create_story() got unknown fields: {', '.join(sorted(unknown))}")
    if actor is not None and not actor.has_perm("newsroom.add_story"):
        raise PermissionDenied("您的角色不能新建稿件。")
    with reversion.create_revision():
        reversion.set_user(actor)
        reversion.set_comment("新建")
        story = Story(created_by=created_by if created_by is not None else actor, **fields)
        story.full_clean()
        story.save()
        set_credits(story, credits)
        add_photos(story, photos)
        # Again, so the version holds the credits and photos just written.
        reversion.add_to_revision(story)
    return story


@transaction.atomic
def update_story(story, *, actor=None, expected_version=None, credits=None, comment="修改", **fields):
    """Change a story's content. ``actor`` None is the system (imports run by a command).

    Keeps a version of the result; refuses a save that would overwrite
    someone else's newer one.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_story() got unknown fields: {', '.join(sorted(unknown))}")
    if actor is not None and not can_edit(actor, story):
        raise PermissionDenied(f"您不能修改稿件“{story.headline}”（{story.get_status_display()}）。")
    check_unchanged(story, expected_version)
    with reversion.create_revision():
        reversion.set_user(actor)
        reversion.set_comment(comment)
        for name, value in fields.items():
            setattr(story, name, value)
        story.full_clean()
        story.save()
        if credits is not None:
            set_credits(story, credits)
        _changed_for_readers(story)
        reversion.add_to_revision(story)
    return story


@transaction.atomic
def save_story(story, *, actor, comment="修改"):
    """Save a story edited in place (the admin's form), with the same checks as ``update_story``."""
    if story.pk is None:
        if not actor.has_perm("newsroom.add_story"):
            raise PermissionDenied("您的角色不能新建稿件。")
        story.created_by = story.created_by or actor
    elif not can_edit(actor, Story.objects.get(pk=story.pk)):
        raise PermissionDenied(f"您不能修改稿件“{story.headline}”。")
    with reversion.create_revision():
        reversion.set_user(actor)
        reversion.set_comment(comment)
        story.full_clean()
        story.save()
        _changed_for_readers(story)
    return story


@contextmanager
def one_version(*, actor, comment):
    """One version for everything saved inside: a story saved with its credits and photos from one form.

    Call ``keep_in_version(story)`` once all of it is saved, so that the version holds it as saved.
    """
    with reversion.create_revision():
        reversion.set_user(actor)
        reversion.set_comment(comment)
        yield


def keep_in_version(story):
    """Take ``story``, with its credits and photos as they are now, into the version being made."""
    reversion.add_to_revision(story)


@transaction.atomic
def delete_story(story, *, actor):
    """Delete a story with its credits, its photos and their files; readers' pages stop showing it."""
    if actor is not None and not actor.has_perm("newsroom.delete_story"):
        raise PermissionDenied(f"您不能删除稿件“{story.headline}”。")
    for photo in story.photos.all():
        photo_services.delete_photo(photo)
    _changed_for_readers(story)
    story.delete()


@transaction.atomic
def restore_version(story, version, *, actor):
    """Bring back an older version's text, credits and placement, as a new version.

    The workflow status stays as it is: restoring is an edit, not a transition.
    """
    snap = revisions.snapshot(version)
    fields = {name: value for name, value in snap.fields.items() if name in EDITABLE_FIELDS}
    fields["continuation_start"] = snap.fields.get("continuation_start")
    for name in ("bureau", "region", "issue"):
        if name in fields:
            fields[f"{name}_id"] = fields.pop(name)
    credits = [
        CreditInput(correspondent=credit.correspondent, contribution=credit.contribution, title=credit.title)
        for credit in snap.credits
    ]
    saved = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
    if actor is not None and not can_edit(actor, story):
        raise PermissionDenied(f"您不能修改稿件“{story.headline}”（{story.get_status_display()}）。")
    with reversion.create_revision():
        reversion.set_user(actor)
        reversion.set_comment(f"恢复到 {saved} 的版本")
        for name, value in fields.items():
            setattr(story, name, value)
        story.full_clean()
        story.save()
        set_credits(story, credits)
        _restore_photo_texts(story, snap.photos)
        _changed_for_readers(story)
        reversion.add_to_revision(story)
    return story


def _changed_for_readers(story):
    if story.status == Story.Status.PUBLISHED:
        content.changed()


PHOTO_TEXT_FIELDS = ("caption", "alt", "photographer_id", "photographer_title", "position")


def _restore_photo_texts(story, old_photos):
    """Captions, alt texts and credits of the photos the story still has, as they were.

    A photo removed since cannot come back: its files went with it.
    """
    current = {photo.pk: photo for photo in story.photos.all()}
    for old in old_photos:
        photo = current.get(old.pk)
        if photo is not None and any(getattr(photo, name) != getattr(old, name) for name in PHOTO_TEXT_FIELDS):
            for name in PHOTO_TEXT_FIELDS:
                setattr(photo, name, getattr(old, name))
            photo.save(update_fields=[name.removesuffix("_id") for name in PHOTO_TEXT_FIELDS])


def set_credits(story, credits):
    """Replace the story's credits with ``credits`` (``CreditInput``), in that order; returns the new rows.

    Every credit is checked first: on any error (``ValidationError``) the old credits stay.
    """
    rows = [credit_row(story, credit, position) for position, credit in enumerate(credits)]
    check_repeats(rows)
    story.credits.all().delete()
    rows = Credit.objects.bulk_create(rows)
    # Search finds a story by its people's names: its search text follows its credits.
    story.search_text = story.compose_search_text([row.correspondent.name for row in rows])
    Story.objects.filter(pk=story.pk).update(search_text=story.search_text)
    story.updated_at = photo_services.story_changed(story.pk)
    return rows


def refresh_search_text(stories, batch=500):
    """Compose again the search text of ``stories`` (a queryset), after a name they show changed elsewhere."""
    changed = []
    for story in stories.prefetch_related("credits__correspondent").iterator(chunk_size=batch):
        text = story.compose_search_text([credit.correspondent.name for credit in story.credits.all()])
        if text != story.search_text:
            story.search_text = text
            changed.append(story)
    Story.objects.bulk_update(changed, ["search_text"], batch_size=batch)


def credit_row(story, credit, position):
    """The unsaved, checked ``Credit`` for ``credit``, with the defaults: a text credit, the person's present title.

    Raises ``ValidationError`` with the fields at fault.
    """
    row = Credit(
        story=story,
        correspondent=credit.correspondent,
        title=credit.correspondent.title if credit.title is None else credit.title,
        contribution=credit.contribution or Credit.Contribution.TEXT,
        position=position,
    )
    row.full_clean(exclude=["story"])
    return row


def check_repeats(rows):
    """A person is credited once for each kind of contribution."""
    seen = set()
    for row in rows:
        key = (row.correspondent_id, row.contribution)
        if key in seen:
            raise ValidationError(
                f"{row.correspondent.name}的{row.get_contribution_display()}署名重复了，请删去一个。",
                code="repeated_credit",
            )
        seen.add(key)


def add_photos(story, photos):
    """Add ``photos`` (``PhotoInput``) after the story's own: all of them or, on any error, none (no row, no file)."""
    start = photo_services.next_position(story)
    with photo_services.all_or_nothing():
        for offset, photo in enumerate(photos):
            photo_services.add_photo(
                story,
                upload=photo.image,
                caption=photo.caption,
                alt=photo.alt,
                photographer=photo.photographer,
                photographer_title=photo.photographer_title,
                position=start + offset,
            )


@transaction.atomic
def give_references(issue, stories):
    """Stories made in the admin have no reference yet: each gets one as it leaves, and keeps it.

    The bundle names them by it, so importing the bundle here again finds them, and elsewhere makes them.
    """
    for position, story in enumerate(stories, start=1):
        if story.reference:
            continue
        reference = f"{issue.number}-{story.page or 0}-{position}-{story.pk}"
        taken = set(Story.objects.filter(reference__startswith=reference).values_list("reference", flat=True))
        suffix = 1
        while reference in taken:
            suffix += 1
            reference = f"{issue.number}-{story.page or 0}-{position}-{story.pk}-{suffix}"
        # An update of the key alone: the story's version and its time of change stay as they were.
        Story.objects.filter(pk=story.pk, reference="").update(reference=reference)
        story.reference = reference
