"""What the admin's lists may be filtered by: only the filters, search and date hierarchy each list declares.

Django's admin lets a list be filtered by any field of its model from the
query string (``?phone__startswith=139``), whatever the viewer may read of it,
and runs any lookup it is given (``?headline__regex=(``) until the database
fails on it. Here a list takes only the lookups its own filters and date
hierarchy make; anything else is refused with a message, never a server error.
"""

from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.http import HttpResponseBadRequest

REFUSED = "这个列表不能按这样的条件筛选。"

# The query-string forms of Django's list filters: exact (choices, booleans, all values),
# isnull and isempty (empty values), gte and lt (date ranges).
FIELD_FILTER_SUFFIXES = ("", "__exact", "__isnull", "__isempty", "__gte", "__lt")
DATE_HIERARCHY_SUFFIXES = ("__year", "__month", "__day")


def declared_lookups(model_admin, request):
    """Every query-string lookup the list's declared filters and date hierarchy make."""
    lookups = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, (list, tuple)):
            item = item[0]
        if not isinstance(item, str):
            lookups.add(item.parameter_name)
            continue
        lookups.update(item + suffix for suffix in FIELD_FILTER_SUFFIXES)
        field = get_fields_from_path(model_admin.model, item)[-1]
        if field.is_relation and field.target_field is not None:
            lookups.add(f"{item}__{field.target_field.name}__exact")
            lookups.add(f"{item}__{field.target_field.name}__in")
    if model_admin.date_hierarchy:
        lookups.update(model_admin.date_hierarchy + suffix for suffix in DATE_HIERARCHY_SUFFIXES)
    return lookups


class DeclaredLookupsOnly:
    """A ModelAdmin mixin: the list filters by its declared lookups only; a bad value is a message, not a 500."""

    def lookup_allowed(self, lookup, value, request):
        return lookup in declared_lookups(self, request)

    def get_changelist_instance(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            # PostgreSQL cannot hold a NUL in text: no filter or search can be about one.
            raise DisallowedModelAdminLookup("NUL in the query string")
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            # A date past the calendar's end (?date__year=9999999999): Django catches only some of these.
            raise IncorrectLookupParameters(error) from error

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DisallowedModelAdminLookup:
            return HttpResponseBadRequest(REFUSED, content_type="text/plain; charset=utf-8")


def with_declared_lookups(admin_class):
    """``admin_class`` with ``DeclaredLookupsOnly`` in front, unless it has it already."""
    if issubclass(admin_class, DeclaredLookupsOnly):
        return admin_class
    return type(admin_class.__name__, (DeclaredLookupsOnly, admin_class), {"__module__": admin_class.__module__})
