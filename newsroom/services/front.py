"""Arranging the front page (头版编排): the lead (头条) and the top stories (要闻) in their order.

Only those who may publish arrange it (the chief editors): what leads the paper is the same
call as what is in it. Every change moves the content version on, so the cached front page
shows it at once. Only published stories may be placed; one that is later withdrawn drops off
the front by itself (``FrontPlacement.objects.in_force()``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from newsroom import content
from newsroom.models import FrontPlacement, Story

PERMISSION = "newsroom.publish_story"


def can_arrange(actor):
    return actor is not None and actor.is_active and actor.has_perm(PERMISSION)


def _check(actor):
    if not can_arrange(actor):
        raise PermissionDenied("您的角色不能编排头版：头条和要闻由总编确定。")


def check_story(story):
    """Only a published story (scheduled ones too: they show once their time comes) may go on the front."""
    if story.status != Story.Status.PUBLISHED:
        raise ValidationError(f"“{story.headline}”还没有发布（{story.get_status_display()}），不能放上头版。")


@transaction.atomic
def pin_lead(story, *, actor, expires_at=None):
    """Make ``story`` the lead; the lead before it leaves the front (it may be added to the top stories again)."""
    _check(actor)
    check_story(story)
    FrontPlacement.objects.filter(slot=FrontPlacement.Slot.LEAD).exclude(story=story).delete()
    placement, _ = FrontPlacement.objects.update_or_create(
        story=story,
        defaults={"slot": FrontPlacement.Slot.LEAD, "position": 0, "expires_at": expires_at, "placed_by": actor},
    )
    content.changed()
    return placement


@transaction.atomic
def add_top_story(story, *, actor, position=None, expires_at=None):
    """Put ``story`` among the top stories, at ``position`` or after the others; a lead moves down to them."""
    _check(actor)
    check_story(story)
    if position is None:
        last = FrontPlacement.objects.filter(slot=FrontPlacement.Slot.TOP).exclude(story=story)
        position = (last.aggregate(last=Max("position"))["last"] or 0) + 1
    placement, _ = FrontPlacement.objects.update_or_create(
        story=story,
        defaults={"slot": FrontPlacement.Slot.TOP, "position": position, "expires_at": expires_at, "placed_by": actor},
    )
    content.changed()
    return placement


@transaction.atomic
def place(story, *, slot, actor, position=None, expires_at=None):
    """``pin_lead`` or ``add_top_story``, by ``slot`` (the admin's form)."""
    if slot == FrontPlacement.Slot.LEAD:
        return pin_lead(story, actor=actor, expires_at=expires_at)
    return add_top_story(story, actor=actor, position=position, expires_at=expires_at)


@transaction.atomic
def order_top_stories(stories, *, actor):
    """Make ``stories`` the top stories, in this order; the ones placed before and not named leave."""
    _check(actor)
    for story in stories:
        check_story(story)
    keep = [story.pk for story in stories]
    FrontPlacement.objects.filter(slot=FrontPlacement.Slot.TOP).exclude(story__in=keep).delete()
    for position, story in enumerate(stories, start=1):
        FrontPlacement.objects.update_or_create(
            story=story, defaults={"slot": FrontPlacement.Slot.TOP, "position": position, "placed_by": actor}
        )
    content.changed()


@transaction.atomic
def remove(placement, *, actor):
    """Take a story off the front: the automatic choice fills its place."""
    _check(actor)
    placement.delete()
    content.changed()
