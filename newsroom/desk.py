"""What the editors' start page shows: the review queue, counts per state, the next issue."""

from django.db.models import Max, Q
from django.utils import timezone

from . import cache
from .models import STORY_STATES, Issue, Story

# The review queue shows the stories that have waited longest; the stories' list, filtered, has every one.
QUEUE_LENGTH = 100


def state_counts(user):
    """[(label, count, filter query)] for the stories this user may see, scheduled apart from published.

    The desk sees every story readers see: those it counts once per content version, as the readers'
    lists do (publishing moves the version on), and counts the few others, from their status, each time.
    """
    visible = Story.objects.visible_to(user)
    if user.has_perm("newsroom.review_story"):
        counts = visible.not_public().state_counts()
        counts[Story.Status.PUBLISHED] = cache.remembered_count("every-public-story", Story.objects.published().count)
    else:
        counts = visible.state_counts()
    return [(label, counts[state], f"state={state}") for state, label in STORY_STATES]


def review_queue():
    """[(bureau or None, [stories])]: the ``QUEUE_LENGTH`` submitted stories that have waited longest, by bureau.

    The bureau whose story has waited longest comes first.
    """
    waiting = (
        Story.objects.in_review()
        .select_related("bureau__region", "region", "created_by", "issue")
        .defer("body", "search_text")
        # Sent for review by an author (submit) or brought in by an importer (import).
        .annotate(submitted_at=Max("transitions__created_at", filter=Q(transitions__to_status=Story.Status.SUBMITTED)))
        .order_by("submitted_at", "pk")[:QUEUE_LENGTH]
    )
    groups = {}
    for story in waiting:
        groups.setdefault(story.bureau_id, (story.bureau, []))[1].append(story)
    return list(groups.values())


def next_issue():
    """The first issue dated today or later, or None: an issue already out is no longer the next."""
    today = timezone.localdate()
    return Issue.objects.filter(date__gte=today).order_by("date", "number").first()


def ready_to_publish(issue):
    """Approved and scheduled stories of ``issue``, page by page."""
    if issue is None:
        return Story.objects.none()
    return (
        Story.objects.ready_to_publish()
        .filter(issue=issue)
        .select_related("bureau__region", "region")
        .order_by("page", "position", "pk")
    )


def my_stories(user):
    """An author's drafts and stories in review, with the last word from the desk."""
    return Story.objects.drafts_of(user).prefetch_related("transitions").order_by("-updated_at")
