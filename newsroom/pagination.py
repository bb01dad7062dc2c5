"""Pages of a list, with a clear word when the requested page does not exist."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from . import cache
from .models import Story

PER_PAGE = 20
# How many of the newest stories a text search may test one by one to fill a page (about 3 ms
# on PostgreSQL), rather than gather every match from its index (20 ms for a word in 5,000 stories).
WALK_LIMIT = 2000
# A deep page starts from the nearest anchor above it: the place in the list of every 1,000th story.
ANCHOR_EVERY = 1000
# On PostgreSQL, a page that starts within this many stories of the top of its list is read in one
# query, fields and all; further down, and on SQLite, the ids come first, from a narrow index alone.
# SQLite finds a region's stories from the (region, status, published_at) index and sorts them:
# sorting ids from that index alone took 2 ms for a prefecture's list, sorting their rows 4 ms.
READ_AT_ONCE = 100
NEWEST_FIRST = ("-published_at", "-pk")


@dataclass
class PageRequest:
    page: object
    message: str = ""


class SlimOffsetPaginator(Paginator):
    """Reads a page near the top of its list at once; further down, its stories' ids first, then those rows.

    A page within ``READ_AT_ONCE`` stories of the top is one query on PostgreSQL:
    it reads just the rows it shows. Further down, stepping over the stories above
    a page costs less in ids alone, from the narrow (status, published_at, id)
    index, than in whole rows. A deep page does not count its way down from the top:
    the list's *anchors*, the (published_at, id) of every ``ANCHOR_EVERY``-th
    story, are found once per content version (like the count), and a page
    starts from the nearest anchor above it, so page 5,000 costs what page 1
    does. Rows read by id come from ``rows``, by id alone: whatever narrowed
    the list (a text search, say) is not evaluated a second time. The list
    and ``rows`` give stories with the same fields (``for_listing()``).
    ``count_key`` names the list for ``cache.remembered_for_list``.
    """

    def __init__(self, object_list, per_page, *, rows=None, count_key=None, walk=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = object_list if rows is None else rows
        self.count_key = count_key
        self.walk = walk

    @cached_property
    def count(self):
        if self.count_key is None:
            return self.object_list.count()
        return cache.remembered_count(self.count_key, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        anchored = False
        if self.walk is not None and self.walk_is_short(start):
            source = self.walk
        else:
            source, start, anchored = self.from_anchor(start)
        if start < READ_AT_ONCE and not anchored and connections[source.db].vendor == "postgresql":
            stories = list(source[start : start + self.per_page])
        else:
            ids = list(source.values_list("pk", flat=True)[start : start + self.per_page])
            stories = self.rows.in_order_of(ids)
        return self._get_page(stories, number, self)

    def from_anchor(self, start):
        """The list from the nearest anchor above ``start`` on, where ``start`` falls in it, and whether it is anchored.

        An anchored list is read for its ids alone (``page``).
        """
        block = start // ANCHOR_EVERY
        if not block or self.count_key is None or tuple(self.object_list.query.order_by) != NEWEST_FIRST:
            return self.object_list, start, False
        anchors = cache.remembered_for_list("anchors", self.count_key, self.anchors)
        if block > len(anchors):
            return self.object_list, start, False
        published_at, pk = anchors[block - 1]
        # Strictly below the anchor, newest first: older, or as old with a smaller id. The anchor's
        # bound comes first in the query, before the list's own ("published by now"): SQLite walks
        # its index down from the first bound it is given, which would be the newest story.
        below = self.object_list.model.objects.filter(
            Q(published_at__lte=published_at) & ~Q(published_at=published_at, pk__gte=pk)
        )
        return below & self.object_list, start - block * ANCHOR_EVERY, True

    def anchors(self):
        """[(published_at, id)] of the list's 1,000th, 2,000th, … story, newest first."""
        places = list(range(ANCHOR_EVERY, self.count + 1, ANCHOR_EVERY))
        if not places:
            return []
        numbered = self.object_list.alias(
            place=Window(RowNumber(), order_by=[F("published_at").desc(), F("pk").desc()])
        ).filter(place__in=places)
        return list(numbered.values_list("published_at", "pk"))

    def walk_is_short(self, start):
        """Whether walking the newest stories reaches this page within ``WALK_LIMIT`` stories.

        Of all published stories, ``count`` match; a walk meets one match in
        every ``published / count`` stories on average.
        """
        if not self.count:
            return False
        published = cache.remembered_count("published", Story.objects.published().count)
        return (start + self.per_page) * published / self.count <= WALK_LIMIT


def paginate(queryset, request, *, rows=None, walk=None, per_page=PER_PAGE):
    """The page of ``queryset`` that ``request`` asks for with its ``page`` parameter.

    A page number that is not a number, or past the end, gets the nearest
    page that exists and a message saying so, never an error. ``rows`` is
    where a deep page's stories are read from, by id (``queryset`` by default).
    The list's count is kept per content version, under the request's path
    and query less the page. ``walk``, the same list with its text tested
    story by story, finds the page instead when its matches are so common
    that a walk of the newest stories meets them soon.
    """
    raw_number = request.GET.get("page")
    paginator = SlimOffsetPaginator(
        queryset, per_page, rows=rows, count_key=list_key(request), walk=walk, allow_empty_first_page=True
    )
    message = ""
    if raw_number in (None, ""):
        number = 1
    else:
        try:
            number = int(raw_number)
        except (TypeError, ValueError):
            number = 1
            message = f"页码“{raw_number[:20]}”无效，已显示第1页。"
        else:
            if number < 1:
                message = f"没有第{number}页，已显示第1页。"
                number = 1
            elif number > paginator.num_pages:
                message = f"没有第{number}页，共{paginator.num_pages}页，已显示最后一页。"
                number = paginator.num_pages
    return PageRequest(page=paginator.page(number), message=message)


def query_without_page(request):
    """The query string of the request less ``page``, for links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def list_key(request):
    return f"{request.path}?{query_without_page(request)}"
