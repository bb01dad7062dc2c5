"""Pages of a list, with a clear word when the requested page does not exist."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator

from . import cache
from .models import Story

PER_PAGE = 20
# How many of the newest stories a text search may test one by one to fill a page (about 3 ms
# on PostgreSQL), rather than gather every match from its index (20 ms for a word in 5,000 stories).
WALK_LIMIT = 2000


@dataclass
class PageRequest:
    page: object
    message: str = ""


class SlimOffsetPaginator(Paginator):
    """Finds a page's stories by their ids first, then reads just those rows.

    The offset runs over the narrow (status, published_at, id) index alone,
    not over whole stories, so page 2,000 costs little more than page 1.
    The rows are read from ``rows`` by id alone: whatever narrowed the list
    (a text search, say) is not evaluated a second time.
    ``count_key`` names the list for ``cache.remembered_count``.
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
        source = self.walk if self.walk is not None and self.walk_is_short(start) else self.object_list
        ids = list(source.values_list("pk", flat=True)[start : start + self.per_page])
        return self._get_page(self.rows.in_order_of(ids), number, self)

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
    where the page's stories are read from, by id (``queryset`` by default).
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
