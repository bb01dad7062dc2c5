"""What the front page shows, read in a fixed number of queries: its lead, top stories and the rest.

The editors arrange the lead (头条) and the top stories (要闻) in the admin (``services.front``);
where they placed nothing, or what they placed is no longer public or has expired, the paper
arranges itself:

- the front issue is the newest issue whose page 1 readers see whole and most of whose stories
  are out (``newest_with_complete_front``): while an issue is half out, its one published item does
  not lead the paper, the last complete issue's front does; its pages are the ones shown;
- the lead is the newest story with a photo on that page 1, else its first story; without such
  an issue, the newest story with a photo, else the newest story;
- the top stories are the rest of that page 1 in its order, then the newest articles (photo
  reports have a strip of their own).

Reads only; every story comes through ``Story.objects.published()``.
"""

import datetime
from dataclasses import dataclass, field

from .models import FrontPlacement, Issue, Region, Story, Topic, page_url

TOP_STORIES = 6
PHOTO_STRIP = 4
# The newest stories read once: the top stories are filled from them, and the regions' latest.
NEWEST = 40
STORIES_PER_REGION = 2


@dataclass(frozen=True, slots=True)
class Headline:
    """A story where the front page lists its headline alone: the issue's pages, the regions' latest.

    Read as a plain row (``StoryQuerySet.headline_rows``): the front page lists a hundred and
    forty of them, and a model instance apiece took longer to make than the rows took to read.
    """

    pk: int
    kind: str
    headline: str
    region_id: int | None
    page: int | None
    continued_on_page: int | None
    position: int
    published_at: datetime.datetime
    has_photo: bool = False

    @property
    def is_photo_report(self):
        return self.kind == Story.Kind.PHOTO

    def get_absolute_url(self):
        return page_url("newsroom:story", self.pk)


def headlines(queryset):
    """``Headline`` rows of ``queryset`` (``headline_rows()``), in its order."""
    return [Headline(*row) for row in queryset]


@dataclass
class Front:
    lead: Story | None = None
    top: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    issue: Issue | None = None
    pages: list = field(default_factory=list)
    issue_stories: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    topics: list = field(default_factory=list)


def front_page():
    """The front page's stories, issue, regions and topics (``Front``)."""
    front = Front()
    placements = FrontPlacement.objects.in_force()
    pinned_lead = next((pk for pk, slot in placements if slot == FrontPlacement.Slot.LEAD), None)
    pinned_top = [pk for pk, slot in placements if slot == FrontPlacement.Slot.TOP]

    complete = Issue.objects.newest_with_complete_front()
    front.issue = complete or Issue.objects.public().order_by("-number").first()
    if front.issue is not None:
        # Through the issue, each page has it without a join; by number alone, not the issue's order.
        front.pages = list(front.issue.pages.order_by("number").with_images())
        in_issue = Story.objects.published().in_issue(front.issue).order_by("page", "position", "pk")
        front.issue_stories = headlines(in_issue.headline_rows(with_photo_flag=True))
    page_one = [story for story in front.issue_stories if story.page == 1] if complete is not None else []
    newest = headlines(Story.objects.published().newest_first().headline_rows()[:NEWEST])

    lead_pk = pinned_lead or automatic_lead(page_one, newest)
    top_ids = []
    # Photo reports have their strip: the newest fill the top stories with articles.
    articles = [story.pk for story in newest if not story.is_photo_report]
    for pk in [*pinned_top, *(story.pk for story in page_one), *articles]:
        if pk != lead_pk and pk not in top_ids:
            top_ids.append(pk)
    top_ids = top_ids[:TOP_STORIES]

    shown = {lead_pk, *top_ids}
    photo_reports = Story.objects.published().filter(kind=Story.Kind.PHOTO).newest_first()
    candidates = photo_reports.values_list("pk", flat=True)[: PHOTO_STRIP + TOP_STORIES + 1]
    strip_ids = [pk for pk in candidates if pk not in shown][:PHOTO_STRIP]

    shown_ids = [*([lead_pk] if lead_pk is not None else []), *top_ids, *strip_ids]
    listed = {story.pk: story for story in Story.objects.published().for_front().in_order_of(shown_ids)}
    front.lead = listed.get(lead_pk)
    front.top = [listed[pk] for pk in top_ids if pk in listed]
    front.photos = [listed[pk] for pk in strip_ids if pk in listed]
    front.regions = latest_by_prefecture(newest)
    front.topics = list(Topic.objects.active().with_story_counts())
    return front


def automatic_lead(page_one, newest):
    """The lead's id when no editor chose one: page 1's newest story with a photo, else its first story;
    without a complete page 1, the newest story with a photo, else the newest. None for an empty paper."""
    with_photo = [story for story in page_one if story.has_photo]
    if with_photo:
        return max(with_photo, key=lambda story: (story.published_at, -story.position)).pk
    if page_one:
        return page_one[0].pk
    # Read only here, for a paper with no complete page 1: the newest story that has a photo.
    with_photo = Story.objects.published().with_photo_flag().filter(has_photo=True).newest_first()
    return with_photo.values_list("pk", flat=True).first() or (newest[0].pk if newest else None)


def latest_by_prefecture(stories):
    """[(prefecture, [stories])]: the prefectures with news, the most recent first, a couple of stories each."""
    region_map = Region.objects.map()
    groups = {}
    for story in stories:
        region = region_map.by_pk.get(story.region_id)
        prefecture = region.prefecture if region is not None else None
        if prefecture is None:
            continue
        group = groups.setdefault(prefecture.pk, (prefecture, []))
        if len(group[1]) < STORIES_PER_REGION:
            group[1].append(story)
    return list(groups.values())
