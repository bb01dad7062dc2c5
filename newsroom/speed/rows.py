"""Django's private API, used here and nowhere else in the project.

Each function does what Django itself does when it joins, prefetches or
clones a queryset, without its overhead; ``tests/test_speed.py`` checks each
one against the installed Django, so that an upgrade that changes what they
rely on fails there, loudly, rather than on a page.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.query import ModelIterable

__all__ = [
    "ModelIterable",
    "Prefetched",
    "database_of",
    "flag_of",
    "flagged",
    "ordering_of",
    "related_model",
    "set_prefetched",
    "set_related",
    "yielding",
]


def related_model(model, name):
    """The model at the other end of ``model``'s relation ``name`` (Django's public ``_meta`` API).

    The querysets are the models' managers: the models import them, so they and the reads they
    use reach a neighbouring model through their own model's relations, not by importing it.
    """
    return model._meta.get_field(name).related_model


def set_related(instance, name, value):
    """Set the foreign key ``name`` of ``instance`` to ``value`` as ``select_related`` would: no query on access."""
    instance._meta.get_field(name).set_cached_value(instance, value)


class Prefetched(list):
    """Rows set as a relation's prefetched objects: ``story.credits.all()`` answers with them, no query."""

    def all(self):
        return self


def set_prefetched(instance, name, rows):
    """Set what ``instance.<name>.all()`` answers, as ``prefetch_related(name)`` would: ``rows``, no query."""
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: Prefetched(rows),
    }


def database_of(instance):
    """The database alias ``instance`` was read from."""
    return instance._state.db or DEFAULT_DB_ALIAS


def yielding(queryset, iterable_class):
    """``queryset``, yielding its rows through ``iterable_class`` (a ``ModelIterable``), kept through chaining."""
    clone = queryset._chain()
    clone._iterable_class = iterable_class
    return clone


def flagged(queryset, flag, value=True):
    """``queryset`` with ``flag`` set on its SQL query, kept by every clone of it (filtering, counting, slicing).

    Expressions read it as they compile (``search.TextMatch``): one queryset, two ways to its SQL.
    """
    clone = queryset._chain()
    setattr(clone.query, flag, value)
    return clone


def ordering_of(queryset):
    """The fields ``queryset`` was ordered by with ``order_by()``, as given: ``("-published_at", "-pk")``."""
    return tuple(queryset.query.order_by)


def flag_of(query, flag):
    """The value of ``flag`` on a SQL query (``flagged``), or None."""
    return getattr(query, flag, None)
