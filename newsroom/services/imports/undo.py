"""Undo: a whole batch taken back while none of its stories is published."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom import content
from newsroom.models import ImportBatch, ImportedStory, Story

from .. import photos as photo_services
from .. import stories as story_service


@transaction.atomic
def undo_batch(batch, *, actor):
    """Take a whole batch back while none of its stories is published."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if actor is not None and not actor.has_perm("newsroom.import_bulletin"):
        raise PermissionDenied("您的角色不能撤销导入。")
    if batch.state == ImportBatch.State.UNDONE:
        raise ValidationError(f"{batch} 已经撤销过了。")
    items = list(batch.items.select_related("story", "previous_version"))
    live = [
        item.story
        for item in items
        if item.story and item.story.status in (Story.Status.PUBLISHED, Story.Status.WITHDRAWN)
    ]
    if live:
        raise ValidationError(f"{batch} 中已有 {len(live)} 篇稿件发布（如“{live[0].headline}”），不能撤销。")
    for item in items:
        if item.story is None:
            continue
        if item.action == ImportedStory.Action.CREATED:
            for photo in item.story.photos.all():
                photo_services.delete_photo(photo)
            item.story.delete()
        elif item.previous_version is not None:
            story_service.restore_version(item.story, item.previous_version, actor=None)
    content.changed()
    batch.state = ImportBatch.State.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["state", "undone_at", "undone_by"])
    return batch
