"""Pages of a long list: ids first, deep pages from their nearest anchor, counts kept per content version."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from newsroom import cache
from newsroom.models import Story

from . import rows, search

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

    A list narrowed by a text search is read from the search's index, or, when
    its matches are so common that a walk of the newest stories meets a page
    of them soon, by that walk (``search``): the same stories either way.
    """

    def __init__(self, object_list, per_page, *, rows=None, count_key=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = object_list if rows is None else rows
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return self.object_list.count()
        return cache.remembered_count(self.count_key, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        anchored = False
        if search.has_search(self.object_list) and self.walk_is_short(start):
            source = search.walk(self.object_list)
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
        if not block or self.count_key is None or rows.ordering_of(self.object_list) != NEWEST_FIRST:
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
        # Walking the newest stories fills a page only of a list in that order, not one ranked otherwise.
        if not self.count or rows.ordering_of(self.object_list) != NEWEST_FIRST:
            return False
        published = cache.remembered_count("every-public-story", Story.objects.published().count)
        return (start + self.per_page) * published / self.count <= WALK_LIMIT
