"""Undo: a batch taken back, except what the newsroom has worked on since, in one transaction.

The stories the batch created are deleted, with their credits, photos and files; the
stories it updated get back the version they had before it. A story changed since the
import (``changed_since_import``) is left as it is unless the person undoing asked for
it by name (``confirmed``); a published or withdrawn story is always left. What was left,
and why, is kept on the batch (``ImportBatch.kept``).

It works on thousands of stories at once: a few queries for each thousand, not a few for each story.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from newsroom import content, revisions
from newsroom.models import Correspondent, Credit, ImportBatch, ImportedStory, Photo, Story

from .. import pages as page_services
from .. import photos as photo_services
from .plan import no_progress

CHUNK = 1000
KEPT_CHANGED = "导入后有改动"
KEPT_LIVE = "已发布或已撤稿"
KEPT_NO_VERSION = "没有导入前的版本可恢复"
PHOTO_TEXT_FIELDS = ("caption", "alt", "photographer_id", "photographer_title", "position")


def note_imported(batch):
    """Note each story as ``batch`` leaves it (its ``updated_at``): what ``changed_since_import`` compares with."""
    batch.items.update(updated_at_imported=Subquery(Story.objects.filter(pk=OuterRef("story")).values("updated_at")))


def changed_since_import(batch):
    """The stories of ``batch`` that anyone changed after it wrote them: any field, credits and photos too.

    A later import, a review step and a save with nothing changed count as well: undo asks
    once too often rather than once too few.
    """
    return Story.objects.changed_since_import(batch)


def undo_preview(batch):
    """What undoing ``batch`` would leave alone: (changed stories it asks about, published or withdrawn ones)."""
    live = Story.objects.filter(import_items__batch=batch).live_or_withdrawn()
    changed = changed_since_import(batch).exclude(pk__in=live.values("pk"))
    return list(changed.order_by("pk")), list(live.order_by("pk"))


@transaction.atomic
def undo_batch(batch, *, actor, confirmed=(), progress=no_progress):
    """Take ``batch`` back: delete the stories it created, give those it updated their version before it.

    Left as they are, and listed in the returned batch's ``kept`` (story, headline, reason):

    - a story changed since the import (``changed_since_import``), unless its pk is in
      ``confirmed``: an editor's work is not thrown away without being asked;
    - a published or withdrawn story, always, confirmed or not. Readers have seen it; taking
      it down is a chief editor's decision (withdraw it, with a reason), not an importer's. The
      rest of the batch is undone all the same, so that one story already on the site does not
      hold a wrong issue in place; the message says which stayed.

    All of it or nothing, in one transaction. ``progress(step, done, total)`` is told as it goes.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if actor is not None and not actor.has_perm("newsroom.import_bulletin"):
        raise PermissionDenied("您的角色不能撤销导入。")
    if batch.state == ImportBatch.State.UNDONE:
        raise ValidationError(f"{batch} 已经撤销过了。")
    confirmed = {int(pk) for pk in confirmed}
    changed, live = undo_preview(batch)
    changed = {story.pk for story in changed}
    live = {story.pk for story in live}
    items = list(
        batch.items.filter(story__isnull=False)
        .order_by("pk")
        .values("story", "story__headline", "action", "previous_version", "updated_at_before")
    )
    kept, created, updated = [], [], []
    for item in items:
        pk = item["story"]
        if pk in live:
            reason = KEPT_LIVE
        elif pk in changed and pk not in confirmed:
            reason = KEPT_CHANGED
        elif item["action"] == ImportedStory.Action.CREATED:
            created.append(pk)
            continue
        elif item["previous_version"] is None:
            reason = KEPT_NO_VERSION
        else:
            updated.append(item)
            continue
        kept.append({"story": pk, "headline": item["story__headline"], "reason": reason})

    total = len(created) + len(updated)
    progress("撤销导入", 0, total)
    for start in range(0, len(created), CHUNK):
        _delete(batch, created[start : start + CHUNK])
        progress("撤销导入", min(start + CHUNK, len(created)), total)
    comment = f"撤销导入批次 #{batch.pk}"
    for start in range(0, len(updated), CHUNK):
        _restore(updated[start : start + CHUNK], changed, actor=actor, comment=comment)
        progress("撤销导入", len(created) + min(start + CHUNK, len(updated)), total)

    page_services.undo_printed(batch, restored={item["story"] for item in updated})
    content.changed()
    batch.state = ImportBatch.State.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.kept = kept
    batch.save(update_fields=["state", "undone_at", "undone_by", "kept"])
    return batch


def _delete(batch, pks):
    """Delete stories the batch created: their photos (files once committed), credits, history, the batch's items."""
    batch.items.filter(story__in=pks).delete()
    photo_services.delete_photos(Photo.objects.filter(story__in=pks))
    Story.objects.filter(pk__in=pks).delete()


def _restore(items, changed, *, actor, comment):
    """Give stories the batch updated their version before it: fields, credits and photo texts, one version each.

    A story nobody touched since gets its ``updated_at`` from before the batch too, as if the
    batch had never been: an earlier batch's undo then sees it unchanged. One changed since
    (and confirmed) was changed now.
    """
    now = timezone.now()
    snaps = revisions.snapshots([item["previous_version"] for item in items])
    stories = Story.objects.in_bulk([item["story"] for item in items])
    # The credited people's names, which search looks in too, as the versions credit them.
    people = {credit.correspondent_id for snap in snaps.values() for credit in snap.credits}
    names = dict(Correspondent.objects.filter(pk__in=people).values_list("pk", "name"))
    restored = []
    for item in items:
        story, snap = stories[item["story"]], snaps[item["previous_version"]]
        values = {revisions.CONTENT_ATTNAMES[name]: value for name, value in snap.fields.items()}
        # Only what differs is written: mostly the body and the search text.
        values = {name: value for name, value in values.items() if getattr(story, name) != value}
        for name, value in values.items():
            setattr(story, name, value)
        credited = [names.get(credit.correspondent_id, "") for credit in snap.credits]
        values["search_text"] = story.search_text = story.compose_search_text(credited)
        values["char_count"] = story.char_count = story.count_characters()
        unchanged = item["story"] not in changed and item["updated_at_before"] is not None
        values["updated_at"] = story.updated_at = item["updated_at_before"] if unchanged else now
        Story.objects.filter(pk=story.pk).update(**values)
        restored.append((story, snap))

    Credit.objects.filter(story__in=stories).delete()
    Credit.objects.bulk_create(
        Credit(
            story=story,
            correspondent_id=credit.correspondent_id,
            title=credit.title,
            contribution=credit.contribution,
            position=credit.position,
        )
        for story, snap in restored
        for credit in snap.credits
    )
    # Photos removed since cannot come back (their files went with them); those left get their texts back.
    photos = {photo.pk: photo for photo in Photo.objects.filter(story__in=stories)}
    retexted = []
    for _, snap in restored:
        for old in snap.photos:
            photo = photos.get(old.pk)
            if photo is not None and any(getattr(photo, name) != getattr(old, name) for name in PHOTO_TEXT_FIELDS):
                for name in PHOTO_TEXT_FIELDS:
                    setattr(photo, name, getattr(old, name))
                retexted.append(photo)
    Photo.objects.bulk_update(retexted, PHOTO_TEXT_FIELDS)

    saved = Story.objects.filter(pk__in=stories).order_by("pk").prefetch_related("credits__correspondent", "photos")
    revisions.keep_versions(list(saved), user=actor, comment=comment)
