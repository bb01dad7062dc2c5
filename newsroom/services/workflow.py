"""The editorial workflow: the one place a story's status changes.

draft → submitted → approved → published; submitted or approved → sent back
(a draft again, with the editor's comment); approved → scheduled (published
with a future time); published → withdrawn (with a reason); published →
corrected (a dated correction note). Each call checks the actor's
permission, validates, writes and records the step in one transaction.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from newsroom import content, notifications
from newsroom.models import Story, Transition

Status = Story.Status


class Action(models.TextChoices):
    SUBMIT = "submit", "提交送审"
    SEND_BACK = "send_back", "退回修改"
    APPROVE = "approve", "审核通过"
    PUBLISH = "publish", "签发"
    SCHEDULE = "schedule", "定时发布"
    WITHDRAW = "withdraw", "撤稿"
    CORRECT = "correct", "更正"
    IMPORT = "import", "导入"


@dataclass(frozen=True)
class Rule:
    sources: frozenset
    target: str
    permission: str
    comment_required: str = ""


RULES = {
    Action.SUBMIT: Rule(frozenset({Status.DRAFT}), Status.SUBMITTED, "newsroom.submit_story"),
    Action.SEND_BACK: Rule(
        frozenset({Status.SUBMITTED, Status.APPROVED}),
        Status.DRAFT,
        "newsroom.review_story",
        comment_required="退回时请写明修改意见。",
    ),
    Action.APPROVE: Rule(frozenset({Status.SUBMITTED}), Status.APPROVED, "newsroom.review_story"),
    Action.PUBLISH: Rule(frozenset({Status.APPROVED}), Status.PUBLISHED, "newsroom.publish_story"),
    Action.SCHEDULE: Rule(frozenset({Status.APPROVED}), Status.PUBLISHED, "newsroom.publish_story"),
    Action.WITHDRAW: Rule(
        frozenset({Status.PUBLISHED}), Status.WITHDRAWN, "newsroom.publish_story", comment_required="撤稿须写明原因。"
    ),
    Action.CORRECT: Rule(
        frozenset({Status.PUBLISHED}), Status.PUBLISHED, "newsroom.publish_story", comment_required="请填写更正说明。"
    ),
}


def allowed_actions(story, actor):
    """The actions ``actor`` may take on ``story`` now, for buttons and menus."""
    return [action for action, rule in RULES.items() if story.status in rule.sources and _may(actor, story, rule)]


def _may(actor, story, rule):
    if actor is None or not actor.is_active or not actor.has_perm(rule.permission):
        return False
    if rule.permission == "newsroom.submit_story" and not actor.has_perm("newsroom.review_story"):
        # Contributors submit their own stories only.
        return story.created_by_id == actor.pk
    return True


@transaction.atomic
def transition(story, action, *, actor, comment="", when=None):
    """Move ``story`` by ``action``; returns the recorded ``Transition``.

    Raises ``PermissionDenied`` when the actor's role does not allow it and
    ``ValidationError`` when the story's state or the input does not.
    """
    action = Action(action)
    rule = RULES[action]
    # Lock the row: two editors pressing buttons at once get one transition each, in turn.
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not _may(actor, story, rule):
        raise PermissionDenied(f"您的角色不能对稿件“{story.headline}”执行“{action.label}”。")
    if story.status not in rule.sources:
        raise ValidationError(f"稿件“{story.headline}”当前为“{story.get_status_display()}”，不能执行“{action.label}”。")
    comment = (comment or "").strip()
    if rule.comment_required and not comment:
        raise ValidationError(rule.comment_required)

    now = timezone.now()
    source = story.status
    if action == Action.PUBLISH:
        # A past time is allowed: back issues are published at their own date.
        if when is not None and when > now:
            raise ValidationError("发布时间在将来，请用“定时发布”。")
        story.published_at = when or now
    elif action == Action.SCHEDULE:
        if when is None or when <= now:
            raise ValidationError("定时发布的时间须晚于现在。")
        story.published_at = when
    elif action == Action.WITHDRAW:
        story.withdrawn_reason = comment
    elif action == Action.CORRECT:
        story.correction = comment
        story.corrected_at = now
    story.status = rule.target
    story.full_clean()
    story.save()
    step = Transition.objects.create(
        story=story, actor=actor, action=action, from_status=source, to_status=story.status, comment=comment
    )
    if action in notifications.SUBJECTS:
        # Queued, not sent: a worker sends it. Were the queue itself down, the step stands and the error is logged.
        transaction.on_commit(partial(notifications.notify_author.enqueue, step.pk), robust=True)
    if Status.PUBLISHED in (source, story.status):
        content.changed()
    return step


# What an imported story may enter the workflow as, and the permission each needs.
IMPORT_PERMISSIONS = {
    Status.DRAFT: "newsroom.add_story",
    Status.SUBMITTED: "newsroom.add_story",
    Status.APPROVED: "newsroom.review_story",
    Status.PUBLISHED: "newsroom.publish_story",
    Status.WITHDRAWN: "newsroom.publish_story",
}


def may_import_as(actor, status):
    """Whether ``actor`` may bring stories in at ``status``. The system (no actor) brings in drafts for review only."""
    if status not in IMPORT_PERMISSIONS:
        return False
    if actor is None:
        return status in (Status.DRAFT, Status.SUBMITTED)
    return actor.is_active and actor.has_perm(IMPORT_PERMISSIONS[status])


@transaction.atomic
def admit_imported(stories, status, *, actor, when=None):
    """Move freshly imported drafts to ``status`` in one step, recorded like every transition.

    The bulk counterpart of ``transition`` for imports: same permission rule,
    one UPDATE and one INSERT for the lot.
    """
    status = Status(status)
    if not may_import_as(actor, status):
        raise PermissionDenied(f"您的角色不能以“{status.label}”状态导入稿件。")
    if status == Status.DRAFT or not stories:
        return []
    now = timezone.now()
    was_published = status in (Status.PUBLISHED, Status.WITHDRAWN)
    if was_published and when is None:
        raise ValidationError("导入已发布（或已撤稿）的稿件须给出发布时间。")
    ids = [story.pk for story in stories]
    changes = {"status": status, "updated_at": now}
    if was_published:
        changes["published_at"] = when
    moved = Story.objects.filter(pk__in=ids, status=Status.DRAFT).update(**changes)
    if moved != len(ids):
        raise ValidationError("导入的稿件须是新建的草稿。")
    for story in stories:
        for name, value in changes.items():
            setattr(story, name, value)
    if status == Status.PUBLISHED:
        content.changed()
    return Transition.objects.bulk_create(
        Transition(
            story_id=story_id,
            actor=actor,
            action=Action.IMPORT,
            from_status=Status.DRAFT,
            to_status=status,
            comment="批量导入",
        )
        for story_id in ids
    )
