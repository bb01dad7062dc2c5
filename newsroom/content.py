"""The paper's content version: what readers may see, and what may be kept until it changes.

Whatever changes what readers may see (publishing, scheduling, withdrawing,
correcting, editing a published story, an import, a renamed region) calls
``changed()``, which moves the version on once the transaction commits. Cached
pages, list counts and each worker's lookups (``remembered()``) are kept under
the version, so from then on they are made afresh.

The version is kept in Django's cache (Redis when ``REDIS_URL`` is set, shared
by every web worker) and, for up to ``VERSION_SECONDS``, in each worker's own
memory (``near``): a change made through this worker shows at once, one made
through another within that second. This module imports no models, so that
the models and their querysets may use it.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

VERSION_SECONDS = 1
VERSION_KEY = "newsroom:content-version"
# What the page cache keeps in each worker, in front of the shared cache (``cache.public_page``).
near = LocMemCache("newsroom-near", {"OPTIONS": {"MAX_ENTRIES": 500}})


def version():
    """The content version now: a number that grows with every change readers may see."""
    current = near.get(VERSION_KEY)
    if current is None:
        current = cache.get(VERSION_KEY)
        if current is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            current = cache.get(VERSION_KEY, 1)
        near.set(VERSION_KEY, current, timeout=VERSION_SECONDS)
    return current


def changed():
    """Readers' pages are out of date once the current transaction commits."""
    transaction.on_commit(_move_on)


def _move_on():
    try:
        current = cache.incr(VERSION_KEY)
    except ValueError:
        current = 2
        cache.set(VERSION_KEY, current, timeout=None)
    near.set(VERSION_KEY, current, timeout=VERSION_SECONDS)


def lookups_enabled():
    return getattr(settings, "NEWSROOM_LOOKUP_CACHE", True)


_remembered = {}


def remembered(name, compute):
    """``compute()``, kept in this worker's memory until readers' content next changes.

    For the small tables that nearly every page reads (``Region.objects.map()``). The value is
    shared by every request of the worker: nothing may change it. ``NEWSROOM_LOOKUP_CACHE=0``
    computes it on every call.
    """
    if not lookups_enabled():
        return compute()
    current = version()
    kept = _remembered.get(name)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = compute()
    _remembered[name] = (current, value)
    return value


def forget():
    """Drop what this worker keeps in its own memory (tests start each paper afresh)."""
    near.clear()
    _remembered.clear()
