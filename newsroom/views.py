"""Readers' pages. Every read starts from ``Story.objects.published()``."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from .filters import StoryFilter
from .frontpage import front_page
from .models import Bureau, Correspondent, Issue, Page, Region, Story, Topic, Zone
from .pagination import paginate, query_without_page

RELATED_STORIES = 5


def published_stories():
    return Story.objects.published().for_listing()


class PaginatedStoriesMixin:
    """Lists published stories a page at a time; subclasses narrow ``get_stories``."""

    def get_stories(self):
        return published_stories()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = paginate(self.get_stories().newest_first(), self.request, rows=published_stories())
        context.update(
            page_obj=pages.page,
            stories=pages.page.object_list,
            page_message=pages.message,
            # A page with nothing on it is not worth a search engine's index.
            noindex=not pages.page.paginator.count,
        )
        return context


class HomeView(TemplateView):
    """The front page: lead, top stories, photo reports, the issue's pages, regions and topics (``frontpage``)."""

    template_name = "newsroom/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        front = front_page()
        context.update(front=front, issue=front.issue, contents=table_of_contents(front.pages, front.issue_stories))
        return context


class StoryListView(TemplateView):
    template_name = "newsroom/story_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = StoryFilter(self.request.GET or None, queryset=published_stories())
        # A value that makes no sense gets its message and an empty list, not a guess.
        stories = filterset.qs if filterset.is_valid() or not filterset.is_bound else Story.objects.none()
        rows = published_stories()
        terms = filterset.search_terms()
        if terms:
            # Each result shows where its first word was found, the words marked (``highlight`` in the templates).
            stories, rows = stories.with_snippet(terms[0]), rows.with_snippet(terms[0])
        pages = paginate(filterset.ordered(stories), self.request, rows=rows)
        context.update(
            filter=filterset,
            terms=terms,
            active_filters=filterset.active_filters(),
            page_obj=pages.page,
            stories=pages.page.object_list,
            page_message=pages.message,
            query=query_without_page(self.request),
            # A search that finds nothing, or any list left empty, is not worth a search engine's index.
            noindex=not pages.page.paginator.count,
        )
        return context


class StoryDetailView(DetailView):
    template_name = "newsroom/story_detail.html"
    context_object_name = "story"

    def get_queryset(self):
        # The region comes with its parents: related stories come from the prefecture.
        return Story.objects.published().for_reading()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if Story.objects.withdrawn().filter(pk=kwargs["pk"]).exists():
                return render(request, "newsroom/story_withdrawn.html", status=410)
            raise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story = self.object
        related = Story.objects.none()
        prefecture = story.region.prefecture if story.region_id else None
        if prefecture is not None:
            related = (
                Story.objects.published()
                .for_headlines()
                .in_region(prefecture)
                .exclude(pk=story.pk)
                .newest_first()[:RELATED_STORIES]
            )
        page = None
        if story.issue_id and story.page:
            page = Page.objects.filter(issue=story.issue_id, number=story.page).first()
        # Where the story is on a printed page readers can see (在版面中查看): its first zone on a page with an image.
        printed = (
            Zone.objects.filter(story=story)
            .on_page_with_image()
            .order_by("page__issue__number", "page__number", "position")
            .values("page__issue__number", "page__number")
            .first()
        )
        previous, following = Story.objects.published().beside(story)
        context.update(related=related, page=page, printed=printed, previous=previous, following=following)
        return context


class RegionView(PaginatedStoriesMixin, DetailView):
    template_name = "newsroom/region_detail.html"
    context_object_name = "region"

    def get_object(self, queryset=None):
        try:
            return Region.objects.by_slug(self.kwargs["slug"])
        except Region.DoesNotExist:
            raise Http404("没有这个地区") from None

    def get_stories(self):
        return published_stories().in_region(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = Region.objects.map().children(self.object)
        context["bureaus"] = Region.objects.map().bureaus_within(self.object)
        return context


class RegionListView(ListView):
    template_name = "newsroom/region_list.html"
    context_object_name = "regions"
    queryset = Region.objects.exclude(level=Region.Level.COUNTY).prefetch_related("children")


class BureauListView(TemplateView):
    """Every bureau in use, under its prefecture: how a reader finds a bureau's page without a byline."""

    template_name = "newsroom/bureau_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = Region.objects.map().bureaus_by_prefecture()
        return context


class BureauView(PaginatedStoriesMixin, DetailView):
    template_name = "newsroom/bureau_detail.html"
    context_object_name = "bureau"

    def get_object(self, queryset=None):
        return get_object_or_404(Bureau.objects.with_region(), region__slug=self.kwargs["slug"])

    def get_stories(self):
        return published_stories().by_bureau(self.object)


class CorrespondentView(PaginatedStoriesMixin, DetailView):
    template_name = "newsroom/correspondent_detail.html"
    context_object_name = "correspondent"

    def get_queryset(self):
        # Only people with published work have a public page.
        published_credits = Story.objects.published().values("pk")
        return (
            Correspondent.objects.select_related("bureau__region")
            .filter(credits__story__in=published_credits)
            .distinct()
        )

    def get_stories(self):
        return published_stories().by_correspondent(self.object)


class TopicListView(ListView):
    template_name = "newsroom/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.active().with_story_counts()


class TopicView(PaginatedStoriesMixin, DetailView):
    """A topic's landing page: its published stories, newest first, a page at a time (inactive ones too)."""

    template_name = "newsroom/topic_detail.html"
    context_object_name = "topic"
    slug_url_kwarg = "slug"

    def get_queryset(self):
        return Topic.objects.all()

    def get_stories(self):
        return published_stories().in_topic(self.object)


class IssueListView(ListView):
    template_name = "newsroom/issue_list.html"
    context_object_name = "issues"
    paginate_by = 50

    def get_queryset(self):
        published = Story.objects.published().values("pk")
        return (
            Issue.objects.public()
            .annotate(story_count=Count("stories", filter=Q(stories__in=published)))
            .order_by("-number")
        )


class IssueView(DetailView):
    template_name = "newsroom/issue_detail.html"
    context_object_name = "issue"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return Issue.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stories = Story.objects.published().for_headlines().in_issue(self.object)
        stories = list(stories.order_by("page", "position", "pk"))
        context["contents"] = table_of_contents(Page.objects.of_issue(self.object).with_images(), stories)
        return context


class IssuePageView(TemplateView):
    """A page of the paper as printed (数字报): its image with each published story's zone a link, and its stories.

    A page imported from text has no image: its stories and the way to the other pages are
    the whole of it. A page with neither an image nor a story readers may see is not found.
    """

    template_name = "newsroom/issue_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = get_object_or_404(Issue.objects.public(), number=self.kwargs["number"])
        pages = list(Page.objects.of_issue(issue).with_images())
        for page in pages:
            page.issue = issue
        stories = Story.objects.published().for_headlines().in_issue(issue).order_by("page", "position", "pk")
        contents = {number: entries for number, _, entries in table_of_contents(pages, list(stories))}
        shown = [page for page in pages if page.picture is not None or contents.get(page.number)]
        page = next((page for page in shown if page.number == self.kwargs["page"]), None)
        if page is None:
            raise Http404("本期没有这一版")
        at = shown.index(page)
        context.update(
            issue=issue,
            page=page,
            entries=contents.get(page.number, []),
            zones=zones_by_story(Zone.objects.published().on_page(page)),
            pages=[(other, contents.get(other.number, [])) for other in shown],
            previous_page=shown[at - 1] if at > 0 else None,
            next_page=shown[at + 1] if at + 1 < len(shown) else None,
            calendar=month_calendar(issue.date.year, issue.date.month),
        )
        return context


@dataclass
class StoryZones:
    """One story's area on a page: a link named by its headline over one rectangle or several (an L-shape)."""

    story_id: int
    headline: str
    rectangles: list


def zones_by_story(zones):
    """[StoryZones] in the order of each story's first zone: one link per story, however many rectangles it has."""
    found = {}
    for zone in zones:
        found.setdefault(zone.story_id, StoryZones(zone.story_id, zone.headline, [])).rectangles.append(zone)
    return list(found.values())


class IssueCalendarView(TemplateView):
    """The issues of a month on a calendar: each date with an issue a link to its first page."""

    template_name = "newsroom/issue_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
            raise Http404("没有这个月份")
        context["calendar"] = month_calendar(year, month)
        # Only months with an issue are pages: the calendar's own links lead to no other.
        if not context["calendar"].has_issues:
            raise Http404("这个月没有出版的报纸")
        return context


@dataclass
class MonthCalendar:
    """A month's grid of dates (weeks from Monday; None outside the month), each with its issues."""

    year: int
    month: int
    weeks: list
    previous: datetime.date | None  # a date in the nearest earlier month with an issue
    next: datetime.date | None  # a date in the nearest later month with an issue

    @property
    def has_issues(self):
        return any(issues for week in self.weeks for _, issues in week)


def month_calendar(year, month):
    """The ``MonthCalendar`` of the public issues of ``month``, in three queries whatever the month holds."""
    public = Issue.objects.public()
    by_day = {}
    for issue in public.in_month(year, month):
        by_day.setdefault(issue.date, []).append(issue)
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    weeks = [
        [(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]
    return MonthCalendar(year, month, weeks, public.date_before(first), public.date_after(last))


def table_of_contents(pages, stories):
    """[(page number, page, [(story, is_continuation)])] page by page, for an issue's ``pages`` and ``stories``.

    A story that runs across pages is listed on its first page and again,
    as a continuation, on the page it continues on.
    """
    names = {page.number: page for page in pages}
    by_page = {}
    for story in stories:
        by_page.setdefault(story.page, []).append((story, False))
    for story in stories:
        if story.continued_on_page and story.continued_on_page != story.page:
            by_page.setdefault(story.continued_on_page, []).append((story, True))
    numbers = sorted(number for number in by_page if number is not None)
    contents = [(number, names.get(number), by_page[number]) for number in numbers]
    if None in by_page:
        contents.append((None, None, by_page[None]))
    return contents


def robots_txt(request):
    """Every public page may be crawled; the sitemap names them, the news sitemap the last two days' stories."""
    sitemap = request.build_absolute_uri(reverse("newsroom:sitemap"))
    news = request.build_absolute_uri(reverse("newsroom:sitemap_section", args=["news"]))
    return HttpResponse(
        f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\nSitemap: {news}\n", content_type="text/plain; charset=utf-8"
    )


def icon(name):
    """The paper's icon where browsers and phones look for it without being told (``/favicon.ico``): the static file."""

    def view(request):
        return HttpResponsePermanentRedirect(static(name))

    return view
