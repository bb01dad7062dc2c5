"""Pages of a list, with a clear word when the requested page does not exist."""

from dataclasses import dataclass

from django.core.paginator import Paginator

PER_PAGE = 20


@dataclass
class PageRequest:
    page: object
    message: str = ""


class SlimOffsetPaginator(Paginator):
    """Finds a page's stories by their ids first, then reads just those rows.

    The offset runs over the narrow (status, published_at, id) index alone,
    not over whole stories, so page 2,000 costs little more than page 1.
    """

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[start : start + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(queryset, raw_number, per_page=PER_PAGE):
    """The page asked for by ``raw_number`` (the ``page`` query parameter).

    A page number that is not a number, or past the end, gets the nearest
    page that exists and a message saying so, never an error.
    """
    paginator = SlimOffsetPaginator(queryset, per_page, allow_empty_first_page=True)
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
