"""Pages of a list, with a clear word when the requested page does not exist."""

from dataclasses import dataclass

from django.core.paginator import Paginator

PER_PAGE = 20


@dataclass
class PageRequest:
    page: object
    message: str = ""


def paginate(queryset, raw_number, per_page=PER_PAGE):
    """The page asked for by ``raw_number`` (the ``page`` query parameter).

    A page number that is not a number, or past the end, gets the nearest
    page that exists and a message saying so, never an error.
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
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
