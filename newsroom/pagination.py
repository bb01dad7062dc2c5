"""Pages of a list, with a clear word when the requested page does not exist."""

from dataclasses import dataclass

from .speed.paginator import SlimOffsetPaginator

PER_PAGE = 20


@dataclass
class PageRequest:
    page: object
    message: str = ""


def paginate(queryset, request, *, rows=None, per_page=PER_PAGE):
    """The page of ``queryset`` that ``request`` asks for with its ``page`` parameter.

    A page number that is not a number, or past the end, gets the nearest
    page that exists and a message saying so, never an error. ``rows`` is
    where a deep page's stories are read from, by id (``queryset`` by default).
    The list's count is kept per content version, under the request's path
    and query less the page.
    """
    raw_number = request.GET.get("page")
    paginator = SlimOffsetPaginator(
        queryset, per_page, rows=rows, count_key=list_key(request), allow_empty_first_page=True
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
