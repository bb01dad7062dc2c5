"""The admin's lists at archive size: filters that read no table, counts that stop early, pages read by index.

Every list the desk uses runs a fixed number of queries whatever its number of rows
(tests/test_admin_query_counts.py). Its filters' choices come from the region map
(regions and bureaus) or a short query (the latest issues), never from every row of a
table. The stories' list counts what readers see once per content version and the rest each
time (``StoryPaginator``), reads its page as the readers' lists do
(``speed.paginator.SlimOffsetPaginator``), and searches as they do; other long lists count up
to ``COUNT_CAP`` (``speed.counts``).
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from newsroom import cache
from newsroom.models import STORY_STATES, Correspondent, Issue, Region
from newsroom.speed import counts
from newsroom.speed.paginator import SlimOffsetPaginator
from newsroom.speed.widgets import attributes

# Lists count exactly up to this many rows; past it they say "more than" and page on by the planner's estimate.
COUNT_CAP = 1000
# The issue filter offers the latest issues; an older one is reached from the issues' list or by search.
LATEST_ISSUES = 12


class QuickCheckboxes:
    """A ModelAdmin mixin: each row's checkbox for the actions written in Python.

    Django renders each through the widget templates, which took a fifth of a 50-row list's time.
    The same markup, every value escaped (``attributes``).
    """

    def action_checkbox(self, obj):
        label = gettext("Select this object for an action - {}").format(obj)
        attrs = {"type": "checkbox", "name": ACTION_CHECKBOX_NAME, "value": str(obj.pk), "class": "action-select"}
        return mark_safe(f"<input{attributes({**attrs, 'aria-label': label})}>")


class CappedCount:
    """A paginator whose count stops at ``COUNT_CAP`` (``more`` then says so)."""

    cap = COUNT_CAP

    @cached_property
    def count(self):
        counted = counts.capped_count(self.object_list, self.cap)
        if counted <= self.cap:
            return counted
        return max(counts.estimated_count(self.object_list), counted)

    @property
    def more(self):
        return self.count > self.cap


class CappedPaginator(CappedCount, Paginator):
    """Any admin list's pages, counted up to ``COUNT_CAP``."""


class StoryPaginator(SlimOffsetPaginator):
    """The stories' pages, read as the readers' lists read them, and counted exactly in two parts.

    The stories readers see are most of the archive, and change only with the content version: they
    are counted once per version under ``count_key`` (``cache.remembered_count``), as the readers'
    lists count them. The others (drafts, those in review, scheduled, withdrawn) are few, found by
    their status, and counted every time. A search with many matches is read by walking the newest
    stories, which meets a page of them long before the index has gathered every match (``speed.search``).
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count_key=None):
        super().__init__(object_list, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)
        self.public_key = count_key

    @cached_property
    def count(self):
        # The few others' search tested story by story: gathering every match from the index costs more.
        public, others = self.object_list.published(), self.object_list.not_public().walking().count()
        if self.public_key is None:
            return public.count() + others
        return cache.remembered_count(self.public_key, public.count) + others


def list_key(request, model_admin):
    """A story list's name for its kept count: its filters and search, and whose stories it shows."""
    query = request.GET.copy()
    for name in ("p", "o", "e", "_facets"):
        query.pop(name, None)
    # The desk sees every story readers see (visible_to hides only others' drafts); anyone else their own.
    whose = "desk" if request.user.has_perm("newsroom.review_story") else f"user-{request.user.pk}"
    return f"admin:{model_admin.opts.label}:{whose}:{sorted(query.lists())}"


class StoryChangeList(ChangeList):
    """The stories' list reads what its columns show: no body or search text, places from the region map."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.with_places().defer("body", "search_text", "correction", "withdrawn_reason")


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STORY_STATES

    def queryset(self, request, queryset):
        return queryset.in_state(self.value())


class RegionFilter(admin.SimpleListFilter):
    """A prefecture and the counties below it, from the region map."""

    title = "地区（含下辖县区）"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [
            (region.slug, region.name)
            for region in Region.objects.map().regions
            if region.level == Region.Level.PREFECTURE
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.map().by_slug.get(self.value())
        return queryset.in_region(region) if region else queryset.none()


def id_of(value):
    """A row id from the query string, or None: not a number, or past what a database holds."""
    return int(value) if value and value.isdigit() and int(value) < 2**31 else None


class BureauFilter(admin.SimpleListFilter):
    """Bureaus from the region map (a list's ``bureau`` field), under the parameter Django's own filter used."""

    title = "记者站"
    parameter_name = "bureau__id__exact"

    def lookups(self, request, model_admin):
        return [(str(bureau.pk), bureau.dateline) for bureau in Region.objects.map().bureaus]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        bureau = Region.objects.map().bureau_by_pk.get(id_of(self.value()))
        return queryset.filter(bureau=bureau.pk) if bureau else queryset.none()


class IssueFilter(admin.SimpleListFilter):
    """The latest issues (and the one chosen), not all thousand of them; under Django's own parameter."""

    title = "期"
    parameter_name = "issue__id__exact"

    def lookups(self, request, model_admin):
        issues = list(Issue.objects.order_by("-number")[:LATEST_ISSUES])
        chosen = id_of(self.value())
        if chosen is not None and chosen not in {issue.pk for issue in issues}:
            issues += Issue.objects.filter(pk=chosen)
        return [(str(issue.pk), f"第{issue.number}期（{issue.date:%-m月%-d日}）") for issue in issues]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        chosen = id_of(self.value())
        return queryset.filter(issue=chosen) if chosen is not None else queryset.none()


class CorrespondentFilter(admin.SimpleListFilter):
    title = "作者"
    parameter_name = "correspondent"

    def lookups(self, request, model_admin):
        return list(Correspondent.objects.filter(active=True).order_by("name", "pk").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        person = Correspondent.objects.filter(pk=id_of(self.value())).first() if id_of(self.value()) else None
        return queryset.by_correspondent(person) if person else queryset.none()
