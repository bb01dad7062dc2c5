"""Topics (专题): putting stories in them and taking them out.

Editors make topics and choose their stories: which subject a story belongs to is an
editorial call, like its page. A change to a published story's topics changes readers' pages.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from newsroom import content
from newsroom.models import Story

PERMISSION = "newsroom.review_story"


def can_file(actor):
    return actor is not None and actor.is_active and actor.has_perm(PERMISSION)


def _check(actor):
    if actor is not None and not can_file(actor):
        raise PermissionDenied("您的角色不能把稿件归入专题：这由编辑确定。")


def _changed_for_readers(stories):
    if any(story.status == Story.Status.PUBLISHED for story in stories):
        content.changed()


@transaction.atomic
def add_to_topic(stories, topic, *, actor):
    """Put ``stories`` in ``topic``; the ones already in it stay as they are. Returns how many were added."""
    _check(actor)
    stories = list(stories)
    already = set(topic.stories.filter(pk__in=[story.pk for story in stories]).values_list("pk", flat=True))
    added = [story for story in stories if story.pk not in already]
    topic.stories.add(*added)
    _changed_for_readers(added)
    return len(added)


@transaction.atomic
def remove_from_topic(stories, topic, *, actor):
    """Take ``stories`` out of ``topic``. Returns how many were in it."""
    _check(actor)
    stories = list(stories)
    inside = list(topic.stories.filter(pk__in=[story.pk for story in stories]))
    topic.stories.remove(*inside)
    _changed_for_readers(inside)
    return len(inside)


@transaction.atomic
def set_topics(story, topics, *, actor):
    """Make ``topics`` the story's topics (the story's form; an import, with ``actor`` None)."""
    _check(actor)
    wanted = {topic.pk for topic in topics}
    if wanted != set(story.topics.values_list("pk", flat=True)):
        story.topics.set(topics)
        _changed_for_readers([story])


@transaction.atomic
def save_topic(topic, *, actor):
    """Save a topic made or changed in the admin; its pages, the navigation and the front follow."""
    if actor is not None and not (actor.has_perm("newsroom.add_topic") or actor.has_perm("newsroom.change_topic")):
        raise PermissionDenied("您的角色不能新建或修改专题。")
    topic.full_clean()
    topic.save()
    content.changed()
    return topic


@transaction.atomic
def delete_topic(topic, *, actor):
    """Delete a topic; its stories stay, out of it."""
    if actor is not None and not actor.has_perm("newsroom.delete_topic"):
        raise PermissionDenied("您的角色不能删除专题。")
    topic.delete()
    content.changed()
