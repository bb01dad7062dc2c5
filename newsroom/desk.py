"""What the editors' start page shows: the review queue, counts per state, the next issue."""

from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import Issue, Story


def state_counts(user):
    """[(label, count, filter query)] for the stories this user may see, scheduled apart from published."""
    now = timezone.now()
    visible = Story.objects.visible_to(user)
    rows = dict(visible.exclude(status="published").values_list("status").annotate(count=Count("pk")))
    published = visible.filter(status="published").aggregate(
        live=Count("pk", filter=Q(published_at__lte=now)), scheduled=Count("pk", filter=Q(published_at__gt=now))
    )
    return [
        (Story.Status.DRAFT.label, rows.get("draft", 0), "state=draft"),
        (Story.Status.SUBMITTED.label, rows.get("submitted", 0), "state=submitted"),
        (Story.Status.APPROVED.label, rows.get("approved", 0), "state=approved"),
        ("已排期", published["scheduled"], "state=scheduled"),
        (Story.Status.PUBLISHED.label, published["live"], "state=published"),
        (Story.Status.WITHDRAWN.label, rows.get("withdrawn", 0), "state=withdrawn"),
    ]


def review_queue():
    """[(bureau or None, [stories])]: submitted stories bureau by bureau, oldest first.

    The bureau whose story has waited longest comes first.
    """
    waiting = (
        Story.objects.filter(status="submitted")
        .select_related("bureau__region", "region", "created_by", "issue")
        # Sent for review by an author (submit) or brought in by an importer (import).
        .annotate(submitted_at=Max("transitions__created_at", filter=Q(transitions__to_status="submitted")))
        .order_by("submitted_at", "pk")
    )
    groups = {}
    for story in waiting:
        groups.setdefault(story.bureau_id, (story.bureau, []))[1].append(story)
    return list(groups.values())


def next_issue():
    """The first issue dated today or later; else the newest one."""
    today = timezone.localdate()
    return Issue.objects.filter(date__gte=today).order_by("date", "number").first() or Issue.objects.first()


def ready_to_publish(issue):
    """Approved and scheduled stories of ``issue``, page by page."""
    if issue is None:
        return Story.objects.none()
    now = timezone.now()
    return (
        Story.objects.filter(issue=issue)
        .filter(Q(status="approved") | Q(status="published", published_at__gt=now))
        .select_related("bureau__region", "region")
        .order_by("page", "position", "pk")
    )


def my_stories(user):
    """An author's drafts and stories in review, with the last word from the desk."""
    return (
        Story.objects.filter(created_by=user, status__in=["draft", "submitted"])
        .prefetch_related("transitions")
        .order_by("-updated_at")
    )
