"""Every read of the paper goes through these querysets, and every rule about a story's status lives here.

Public views never filter by status themselves: they start from
``Story.objects.published()`` so that the rule for what readers may see lives
here and nowhere else; the desk, the admin and the cache ask for scheduled
stories, the review queue and an author's drafts here too.

The querysets are the models' managers, so the models import them: they take
their own model's statuses from ``self.model`` and reach a neighbouring model
through its relations (``related_model``). How lists read fast (places from
the region map, credits and photos for a page at once, the search indexes) is
``newsroom.speed``'s part.
"""

import datetime

from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from . import content
from .speed import lists, rows
from .speed import search as text_search
from .speed.rows import related_model


class RegionMap:
    """Every region and bureau, read at once: the lookups that nearly every readers' page makes.

    The filter's drop-downs, the region a ``?region=`` names and the regions below it come from
    here. A paper has about a hundred regions, which change a few times a year: each web worker
    keeps one map per content version (``content.remembered``), as Django keeps content types.
    Nothing may change what it holds: it is shared by every request of a worker.
    """

    def __init__(self, regions, bureaus):
        self.regions = regions
        self.by_slug = {region.slug: region for region in regions}
        by_pk = {region.pk: region for region in regions}
        below = {region.pk: [] for region in regions}
        for region in regions:
            if region.parent_id in by_pk:
                region.parent = by_pk[region.parent_id]
                below[region.parent_id].append(region.pk)
        self._below = below
        self.by_pk = by_pk
        for bureau in bureaus:
            bureau.region = by_pk[bureau.region_id]
        self.bureaus = bureaus
        self.bureau_by_slug = {bureau.region.slug: bureau for bureau in bureaus}
        self.bureau_by_pk = {bureau.pk: bureau for bureau in bureaus}

    def subtree_ids(self, region):
        """The ids of ``region`` and of every region below it, or None for a region not in the map."""
        if region.pk not in self._below:
            return None
        ids, todo = [], [region.pk]
        while todo:
            pk = todo.pop()
            ids.append(pk)
            todo.extend(self._below[pk])
        return sorted(ids)

    def children(self, region):
        """The regions just below ``region``, in the paper's order."""
        return [self.by_pk[pk] for pk in self._below.get(region.pk, [])]

    def bureaus_within(self, region):
        """The bureaus in use in ``region`` and the regions below it, in the paper's order."""
        ids = set(self.subtree_ids(region) or ())
        return [bureau for bureau in self.bureaus if bureau.active and bureau.region_id in ids]

    def bureaus_by_prefecture(self):
        """[(prefecture or None, [bureaus])]: the bureaus in use under their prefecture, in the paper's order.

        A bureau of the province itself, above every prefecture, is listed under None.
        """
        groups = {}
        for bureau in self.bureaus:
            if bureau.active:
                prefecture = bureau.region.prefecture
                groups.setdefault(prefecture.pk if prefecture else None, (prefecture, []))[1].append(bureau)
        return list(groups.values())


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region itself and every region below it (a prefecture and its counties)."""
        return self.filter(Q(pk=region.pk) | Q(parent=region.pk) | Q(parent__parent=region.pk))

    def by_slug(self, slug):
        """The region of ``slug``, from the map where it is there (``Region.DoesNotExist`` if none is)."""
        region = self.map().by_slug.get(slug)
        return region if region is not None else self.select_related("parent__parent").get(slug=slug)

    def map(self):
        """Every region and bureau (``RegionMap``), read once per content version in each worker."""
        bureau_model = related_model(self.model, "bureau")
        return content.remembered(
            "region-map", lambda: RegionMap(list(self.model.objects.all()), list(bureau_model.objects.all()))
        )

    def prefectures(self):
        return self.filter(level=self.model.Level.PREFECTURE)


class BureauQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_region(self):
        return self.select_related("region")


class IssueQuerySet(models.QuerySet):
    def public(self):
        """Issues with at least one story a reader may see."""
        story_model = related_model(self.model, "stories")
        return self.filter(Exists(story_model.objects.published().filter(issue=OuterRef("pk"))))

    def in_month(self, year, month):
        """Issues dated in ``month`` of ``year``, by date, each with ``first_page``: where its 数字报 opens.

        ``first_page`` is the lowest page holding a story readers may see (None for an issue whose
        published stories are on no page): the calendar links each date to it.
        """
        story_model = related_model(self.model, "stories")
        first_page = (
            story_model.objects.published()
            .filter(issue=OuterRef("pk"), page__isnull=False)
            .order_by("page")
            .values("page")[:1]
        )
        return (
            self.filter(date__year=year, date__month=month)
            .annotate(first_page=Subquery(first_page))
            .order_by("date", "number")
        )

    def date_before(self, day):
        """The date of the latest issue before ``day``, or None: the calendar's previous month."""
        return self.filter(date__lt=day).order_by("-date").values_list("date", flat=True).first()

    def date_after(self, day):
        """The date of the earliest issue after ``day``, or None: the calendar's next month."""
        return self.filter(date__gt=day).order_by("date").values_list("date", flat=True).first()

    def newest_with_complete_front(self):
        """The newest issue readers may take for a whole issue, or None: the front page's issue.

        Its page 1 has some of its stories public and none still on its way (in review, approved,
        scheduled), and no fewer of the issue's stories are public than are on their way. An
        issue half out, its one published item alone on page 1, does not lead the front page:
        the last complete issue's front does. The newest few issues are counted first, in one
        query; all of them only when none of those is complete.
        """
        story_model = related_model(self.model, "stories")
        public, waiting = _public(story_model, "stories__"), _on_the_way(story_model, "stories__")
        page_one = Q(stories__page=1)
        complete = (
            self.alias(
                public=Count("stories", filter=public),
                waiting=Count("stories", filter=waiting),
                page_one_public=Count("stories", filter=public & page_one),
                page_one_waiting=Count("stories", filter=waiting & page_one),
            )
            .filter(page_one_public__gt=0, page_one_waiting=0, public__gte=F("waiting"))
            .order_by("-number")
        )
        newest = self.order_by("-number").values("pk")[:FRONT_LOOK_BACK]
        return complete.filter(pk__in=newest).first() or complete.first()


# How many of the newest issues the front page counts before it looks further back.
FRONT_LOOK_BACK = 5


class PageQuerySet(models.QuerySet):
    def with_images(self):
        """Pages with their images (``Page.current_images`` keeps those of the present PDF)."""
        return self.prefetch_related("images")

    def of_issue(self, issue):
        return self.filter(issue=issue).order_by("number")


class ZoneQuerySet(models.QuerySet):
    def published(self):
        """Zones of stories readers may see: only these are drawn on a page's image and linked."""
        story_model = related_model(self.model, "story")
        return self.filter(story__in=story_model.objects.published().values("pk"))

    def on_page(self, page):
        """A page's zones in their order, each with its story's ``headline`` (the link's name)."""
        return self.filter(page=page).annotate(headline=F("story__headline")).order_by("position", "pk")

    def on_page_with_image(self):
        """Zones on a page that has an image of its present PDF: those a reader can be shown on the page."""
        image_model = related_model(related_model(self.model, "page"), "images")
        current = image_model.objects.filter(page=OuterRef("page"), source=OuterRef("page__pdf_sha256"))
        return self.filter(Exists(current)).exclude(page__pdf_sha256="")


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_story_counts(self):
        """Each topic with ``story_count``: how many of its stories readers may see, in the editors' order.

        The order is given here: a query that counts (GROUP BY) leaves the model's default order out,
        and PostgreSQL then returns the topics in whatever order it grouped them.
        """
        story_model = related_model(self.model, "stories")
        # On the joined stories themselves, not through a subquery of every published story.
        counted = self.annotate(story_count=Count("stories", filter=_public(story_model, "stories__")))
        return counted.order_by("position", "pk")


# What ``FrontPlacementQuerySet.in_force`` keeps of each placement: enough to judge it now.
_PLACED = ("story", "slot", "expires_at", "story__status", "story__published_at")


class FrontPlacementQuerySet(models.QuerySet):
    def in_force(self):
        """[(story id, slot)]: the editors' choices that hold now, in their order, from this worker's memory.

        A choice holds until it expires, and only while its story is public: a pinned story that is
        withdrawn or unpublished drops out at once, with nothing to undo. The placements, with each
        story's status and time, are read once per content version: every change to them or to a
        story's status moves the version on. What time alone changes (an expiry passed, a scheduled
        story's time come) is judged at each call.
        """
        arranged = content.remembered(
            "front-placements",
            lambda: list(self.order_by("slot", "position", "pk").select_related("story").only(*_PLACED)),
        )
        now = timezone.now()
        return [
            (placement.story_id, placement.slot)
            for placement in arranged
            if (placement.expires_at is None or placement.expires_at > now) and placement.story.is_public
        ]

    def next_expiry(self):
        """When the next placement expires, or None: no cached front page outlives it."""
        upcoming = self.filter(expires_at__gt=timezone.now()).order_by("expires_at")
        return upcoming.values_list("expires_at", flat=True).first()


# What a list item shows (the story_item macro in templates/jinja2/newsroom/includes/stories.html)
# and the places it comes from; the issue's number comes as ``issue_number`` (``for_listing``).
LISTED_FIELDS = ("kind", "kicker", "headline", "region", "bureau", "published_at", "page", "issue")

# What the lists of headlines show (templates/jinja2/newsroom/home.html and issue_detail.html).
HEADLINE_FIELDS = ("kind", "kicker", "headline", "region", "bureau", "published_at", "page", "continued_on_page")

# What the front page reads of a story it lists by its headline alone, in the order of ``frontpage.Headline``.
HEADLINE_ROW = ("pk", "kind", "headline", "region", "page", "continued_on_page", "position", "published_at")

# What a sitemap names of a story (newsroom/sitemaps.py).
SITEMAP_FIELDS = ("kind", "headline", "region", "bureau", "published_at", "corrected_at")

# What a feed item shows (newsroom/feeds.py).
FEED_FIELDS = ("kind", "kicker", "headline", "body", "region", "bureau", "published_at", "corrected_at")


def _public(story_model, via=""):
    """The condition for what readers may see (``StoryQuerySet.published``), on stories reached ``via`` a relation."""
    return Q(**{f"{via}status": story_model.Status.PUBLISHED, f"{via}published_at__lte": timezone.now()})


def _on_the_way(story_model, via=""):
    """The condition for what is still to come out (``StoryQuerySet.on_the_way``), on stories reached ``via``."""
    status = story_model.Status
    waiting = [status.DRAFT, status.SUBMITTED, status.APPROVED]
    scheduled = {f"{via}status": status.PUBLISHED, f"{via}published_at__gt": timezone.now()}
    return Q(**{f"{via}status__in": waiting}) | Q(**scheduled)


class StoryQuerySet(models.QuerySet):
    """Every status rule of the paper: what readers may see, what the desk lists, who sees what.

    A story's *state* is its status, except that a published story whose time is still to come is
    *scheduled*: the desk, the admin's filter and the cache ask for states through ``in_state()``.
    """

    def published(self):
        """What readers may see: published, and its publication time has come.

        Scheduled stories are published stories with a future time: they
        appear on the second, with no job to flip them.
        """
        return self.filter(_public(self.model))

    def scheduled(self):
        """Published stories whose publication time is still to come, soonest first."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def not_public(self):
        """Every story readers may not see (yet): drafts, those in review or approved, scheduled, withdrawn.

        Written as statuses, so that the status index finds the few among the many published.
        """
        status = self.model.Status
        return self.filter(
            Q(status__in=[status.DRAFT, status.SUBMITTED, status.APPROVED, status.WITHDRAWN])
            | Q(status=status.PUBLISHED, published_at__gt=timezone.now())
        )

    def drafts(self):
        return self.filter(status=self.model.Status.DRAFT)

    def in_review(self):
        """Stories sent to the desk (by their author, or by an import) and not yet decided."""
        return self.filter(status=self.model.Status.SUBMITTED)

    def approved(self):
        return self.filter(status=self.model.Status.APPROVED)

    def withdrawn(self):
        return self.filter(status=self.model.Status.WITHDRAWN)

    def on_the_way(self):
        """Stories still to come out: drafts, in review, approved, scheduled (not withdrawn, not yet public)."""
        return self.filter(_on_the_way(self.model))

    def drafts_of(self, user):
        """An author's own stories still in the writing: drafts (sent back ones too) and those in review."""
        return self.filter(created_by=user.pk, status__in=[self.model.Status.DRAFT, self.model.Status.SUBMITTED])

    def ready_to_publish(self):
        """What the chief editor has to sign: approved stories, and scheduled ones that may still be changed."""
        return self.approved() | self.scheduled()

    def live_or_withdrawn(self):
        """Stories readers see or have seen: an import may not undo them."""
        return self.filter(status__in=[self.model.Status.PUBLISHED, self.model.Status.WITHDRAWN])

    def changed_since_import(self, batch):
        """The stories of ``batch`` changed after it wrote them: by anyone, in any field, credits and photos too.

        Every save of a story, of its credits or of its photos moves ``updated_at`` on, and the
        batch noted the value it left (``ImportedStory.updated_at_imported``). A story it noted
        nothing for (imported before the note was kept) counts as changed: undo asks rather than guesses.
        """
        items = related_model(self.model, "import_items").objects.filter(batch=batch, story=OuterRef("pk"))
        changed = items.filter(Q(updated_at_imported__isnull=True) | ~Q(updated_at_imported=OuterRef("updated_at")))
        return self.filter(Exists(changed))

    def in_state(self, state):
        """The stories in ``state``, one of ``models.STORY_STATES`` (scheduled apart from published); else all."""
        status = self.model.Status
        method = {
            status.DRAFT: self.drafts,
            status.SUBMITTED: self.in_review,
            status.APPROVED: self.approved,
            "scheduled": self.scheduled,
            status.PUBLISHED: self.published,
            status.WITHDRAWN: self.withdrawn,
        }.get(state)
        return method() if method is not None else self

    def state_counts(self):
        """{state: count} for every value of ``models.STORY_STATES``, in one query."""
        now = timezone.now()
        status = self.model.Status
        published = Q(status=status.PUBLISHED)
        return self.aggregate(
            draft=Count("pk", filter=Q(status=status.DRAFT)),
            submitted=Count("pk", filter=Q(status=status.SUBMITTED)),
            approved=Count("pk", filter=Q(status=status.APPROVED)),
            scheduled=Count("pk", filter=published & Q(published_at__gt=now)),
            published=Count("pk", filter=published & Q(published_at__lte=now)),
            withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        )

    def visible_to(self, user):
        """What a member of staff may see in the admin.

        Authors see their own stories; editors and chief editors see
        everything except other people's drafts (a sent-back story is the
        author's again until it is resubmitted).
        """
        if user.is_superuser:
            return self
        if user.has_perm("newsroom.review_story"):
            draft = Q(status=self.model.Status.DRAFT)
            return self.exclude(draft & Q(created_by__isnull=False) & ~Q(created_by=user.pk))
        return self.filter(created_by=user.pk)

    def readable_by(self, user):
        """What a member of staff may read at all: what the admin shows them, and what readers see.

        What an export made in the admin may carry: an importer sends out the published paper
        and their own imports, never a colleague's draft.
        """
        if user.is_superuser:
            return self
        return self.visible_to(user) | self.published()

    def in_region(self, region):
        """Stories of a region and of every region below it."""
        region_model = related_model(self.model, "region")
        # The ids are known first, so that the stories' query is a plain list of regions: as a
        # subquery, PostgreSQL took longer to plan a feed's query than to run it.
        ids = region_model.objects.map().subtree_ids(region)
        if ids is None:
            ids = list(region_model.objects.subtree(region).values_list("pk", flat=True))
        return self.filter(region__in=ids)

    def by_bureau(self, bureau):
        return self.filter(bureau=bureau)

    def by_correspondent(self, correspondent):
        # A subquery, not a join, so a person credited twice on a story
        # (text and photo) does not list it twice.
        credit_model = related_model(self.model, "credits")
        return self.filter(pk__in=credit_model.objects.filter(correspondent=correspondent).values("story"))

    def in_issue(self, issue):
        return self.filter(issue=issue)

    def beside(self, story):
        """(the story before, the story after) ``story`` on its printed page, among these; None where there is none.

        In the page's order (position, then id), as the issue's contents list them; a story placed
        on no page has no neighbours. One query: a page holds a dozen stories at most.
        """
        if not story.issue_id or not story.page:
            return None, None
        place = (story.position, story.pk)
        on_page = self.filter(issue=story.issue_id, page=story.page).exclude(pk=story.pk)
        neighbours = list(on_page.order_by("position", "pk").only("pk", "kicker", "headline", "position"))
        before = [other for other in neighbours if (other.position, other.pk) < place]
        after = [other for other in neighbours if (other.position, other.pk) > place]
        return (before[-1] if before else None), (after[0] if after else None)

    def in_topic(self, topic):
        return self.filter(topics=topic)

    def with_photo_flag(self):
        """Each story with ``has_photo``: the automatic front leads with a story that has one.

        Its first photo is looked up story by story through the index: PostgreSQL turned an
        EXISTS into a pass over every photo in the archive to flag an issue's hundred stories.
        """
        photo_model = related_model(self.model, "photos")
        first_photo = photo_model.objects.filter(story=OuterRef("pk")).order_by().values("pk")[:1]
        return self.alias(first_photo=Subquery(first_photo)).annotate(
            has_photo=ExpressionWrapper(Q(first_photo__isnull=False), output_field=models.BooleanField())
        )

    def published_between(self, start=None, end=None):
        """Stories published on or after ``start`` and on or before ``end`` (dates in the paper's time zone)."""
        qs = self
        # A bound on the calendar's first or last day bounds nothing, and could not be made a time.
        if start is not None and start > datetime.date.min:
            qs = qs.filter(published_at__gte=_start_of_day(start))
        if end is not None and end < datetime.date.max - datetime.timedelta(days=1):
            qs = qs.filter(published_at__lt=_start_of_day(end + datetime.timedelta(days=1)))
        return qs

    def search(self, text):
        """Stories that hold every word of ``text`` (split at spaces), each in any field, in any case.

        The fields are the kicker, headline, subheadline, body and the credited people's names
        (``Story.search_text``): ``张掖 招商`` finds a story with both words, in one field or
        two; ``王熙乐`` finds that correspondent's stories. A substring search, answered from the
        indexes made in migration 0005, or by testing the newest stories one by one where that
        finds a page sooner (``walking()``; the paginator chooses). ``search_text`` is kept in
        lower case, and so are the words here, so that the text is matched as it is, a third of
        the work of matching it in any case. Every database gives the same answers.
        """
        terms = text_search.terms(text)
        if not terms:
            return self
        return text_search.search(self, terms)

    def with_snippet(self, word):
        """Each story with ``snippet``: a stretch of its search text around ``word`` (lower case), for a list item."""
        return text_search.with_snippet(self, word)

    def by_relevance(self, text):
        """Ordered for a search of ``text``: more of its words in the kicker or headline first, then newest first.

        A word found in the headline counts more than one found in the body alone (``speed.search.HeadlineMatches``).
        """
        terms = text_search.terms(text)
        if not terms:
            return self.newest_first()
        return text_search.by_relevance(self, terms)

    def walking(self):
        """The same stories, their text search tested story by story rather than gathered from its index."""
        return text_search.walk(self)

    def in_order_of(self, ids):
        """The stories of ``ids`` among these, as a list in the order of ``ids``.

        How lists read their stories: the ids first, over a narrow index, then
        just those rows. Sorting whole rows (bodies and all) to find the newest
        took SQLite 27 ms for a region's feed; sorting ids takes it 1 ms.
        """
        rows = {row.pk: row for row in self.filter(pk__in=ids).order_by()} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_places(self):
        """Each story's region and bureau from the region map (``speed.lists.StoriesWithPlaces``), not joined."""
        return rows.yielding(self, lists.StoriesWithPlaces)

    def for_listing(self):
        """What a list of stories shows: headline, region, issue and the lead photo, in fixed queries.

        Only the fields a list item shows are read (``LISTED_FIELDS``): not the body and its
        search text, the bulk of a story's row, nor the workflow's fields. Of the issue, only its
        number, as ``issue_number``: joined, PostgreSQL read every issue to list twenty stories.
        """
        issue_model = related_model(self.model, "issue")
        number = issue_model.objects.filter(pk=OuterRef("issue")).order_by().values("number")
        return rows.yielding(self, lists.StoriesForLists).only(*LISTED_FIELDS).annotate(issue_number=Subquery(number))

    def for_headlines(self):
        """Lists of headlines alone (an issue's contents, the front page by region): no body, no photos.

        Only the fields they show (``HEADLINE_FIELDS``): an issue's contents list a hundred stories.
        """
        return self.with_places().only(*HEADLINE_FIELDS)

    def headline_rows(self, with_photo_flag=False):
        """Plain rows of ``HEADLINE_ROW`` (and ``has_photo``, with ``with_photo_flag``): the front page's headlines.

        Tuples, not model instances: the front page lists an issue's hundred stories and the
        newest forty, and made a model instance of each in more time than the query took.
        """
        if with_photo_flag:
            return self.with_photo_flag().values_list(*HEADLINE_ROW, "has_photo")
        return self.values_list(*HEADLINE_ROW)

    def for_feed(self):
        """What a feed item shows: dateline and credits, the opening of the body, the lead photo's renditions."""
        return rows.yielding(self, lists.StoriesForFeeds).only(*FEED_FIELDS)

    def for_sitemap(self):
        """What a sitemap names: the address, times and headline, and the lead photo's renditions for its image."""
        return rows.yielding(self, lists.StoriesForSitemaps).only(*SITEMAP_FIELDS)

    def for_front(self):
        """The front page's lead, top stories and photo strip, read together.

        What a list item shows (``issue_number`` too) and, for the lead, its opening, its credits
        (for the dateline) and its photo at the story page's size: as a feed item reads them
        (``StoriesForFeeds``), whose renditions up to that size hold the lists' thumbnails too.
        """
        issue_model = related_model(self.model, "issue")
        number = issue_model.objects.filter(pk=OuterRef("issue")).order_by().values("number")
        return rows.yielding(self, lists.StoriesForFeeds).defer("search_text").annotate(issue_number=Subquery(number))

    def for_reading(self):
        """What a story's page shows: dateline, credits, body and photos, in fixed queries."""
        photo_model = related_model(self.model, "photos")
        return (
            # Each join costs PostgreSQL planning time, more than the query's own run past four.
            rows.yielding(self, lists.StoriesWithCredits)
            .select_related("issue")
            .defer("search_text")
            .prefetch_related(
                Prefetch(
                    "photos",
                    queryset=photo_model.objects.select_related("photographer").prefetch_related("renditions"),
                ),
            )
        )


class JobQuerySet(models.QuerySet):
    """Background work as staff see it: their own jobs, and the ones still waiting or running."""

    def of(self, user):
        """The jobs a person may follow: their own; everyone's for a superuser."""
        return self if user.is_superuser else self.filter(created_by=user)

    def unfinished(self):
        return self.filter(state__in=[self.model.State.QUEUED, self.model.State.RUNNING])

    def running(self):
        return self.filter(state=self.model.State.RUNNING)


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
