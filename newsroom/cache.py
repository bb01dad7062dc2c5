"""Caching of readers' pages, and the one rule that keeps them fresh.

Every page is cached under the paper's *content version*. Whatever changes
what readers may see (publishing, scheduling, withdrawing, correcting, editing
a published story, an import, a renamed region) calls ``changed()``, which
moves the version on once the transaction commits: from then on every page is
rendered afresh. A scheduled story needs no write to appear, so no cached page
outlives the next scheduled publication time.

The cache is Redis when ``REDIS_URL`` is set (shared by every web worker) and
local memory otherwise. ``NEWSROOM_PAGE_CACHE=0`` turns page caching off.

Each worker also keeps the pages it serves, and the content version, in its
own memory (``near``), in front of the shared cache: a cached page then costs
no round trip to Redis, which had cut cached pages to 0.37 of the framework's
floor. The worker asks the shared cache for the version at most once every
``VERSION_SECONDS``, so a change made through another worker reaches its
pages within that second; a change made through this worker, at once.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

VERSION_SECONDS = 1
near = LocMemCache("newsroom-near", {"OPTIONS": {"MAX_ENTRIES": 500}})

VERSION_KEY = "newsroom:content-version"
NEXT_KEY = "newsroom:next-scheduled"
NEVER = "never"


def enabled():
    return getattr(settings, "NEWSROOM_PAGE_CACHE", True)


def page_seconds():
    return getattr(settings, "NEWSROOM_PAGE_SECONDS", 600)


def content_version():
    version = near.get(VERSION_KEY)
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
        near.set(VERSION_KEY, version, timeout=VERSION_SECONDS)
    return version


def changed():
    """Readers' pages are out of date once the current transaction commits."""
    transaction.on_commit(_move_on)


def _move_on():
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        version = 2
        cache.set(VERSION_KEY, version, timeout=None)
    near.set(VERSION_KEY, version, timeout=VERSION_SECONDS)
    cache.delete(NEXT_KEY)


def next_scheduled():
    """When the next scheduled story appears, or None; looked up once per content version."""
    from newsroom.models import Story

    value = cache.get(NEXT_KEY)
    now = timezone.now()
    if value is None or (value != NEVER and value <= now):
        upcoming = Story.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        value = upcoming or NEVER
        cache.set(NEXT_KEY, value, timeout=page_seconds())
    return None if value == NEVER else value


def seconds_to_keep():
    seconds = page_seconds()
    upcoming = next_scheduled()
    if upcoming is not None:
        seconds = min(seconds, max(0, int((upcoming - timezone.now()) / datetime.timedelta(seconds=1))))
    return seconds


def counts_enabled():
    return getattr(settings, "NEWSROOM_COUNT_CACHE", True)


def remembered_count(key, count):
    """``count()``, counted once per content version for the list named ``key``.

    A list's count is the dearest part of its page at archive size (every
    matching row is visited), while the page itself is cheap to read.
    """
    return remembered_for_list("count", key, count)


def remembered_for_list(kind, key, compute):
    """``compute()`` for the list named ``key`` (its count, its page anchors), once per content version.

    Kept in the shared cache like a cached page: until the content changes or the next scheduled
    story appears, whichever comes first. ``NEWSROOM_COUNT_CACHE=0`` computes it every time.
    """
    if not counts_enabled():
        return compute()
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    # Under the next scheduled time too: once it passes, the key is a new one, to the second.
    upcoming = next_scheduled()
    moment = upcoming.timestamp() if upcoming else NEVER
    cache_key = f"newsroom:{kind}:{content_version()}:{moment}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        seconds = seconds_to_keep()
        if seconds > 0:
            cache.set(cache_key, value, timeout=seconds)
    return value


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
    version = content_version()
    kept = _remembered.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    _remembered[name] = (version, value)
    return value


def forget():
    """Drop what this worker keeps in its own memory (tests start each paper afresh)."""
    near.clear()
    _remembered.clear()


def _key(request, version):
    path = request.get_full_path()
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
    return f"newsroom:page:{version}:{digest}"


def public_page(view):
    """Serve anonymous GETs of a readers' page from the cache, and cache what it renders."""

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        if not enabled() or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request, content_version())
        stored = near.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None and (seconds := seconds_to_keep()) > 0:
                near.set(key, stored, timeout=seconds)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            seconds = seconds_to_keep()
            if response.status_code == 200 and not response.streaming and seconds > 0:
                stored = (response.content, response["Content-Type"])
                cache.set(key, stored, timeout=seconds)
                near.set(key, stored, timeout=seconds)
        # Browsers and shared caches may keep a page a little; the server keeps it until it changes.
        patch_cache_control(response, public=True, max_age=10)
        return response

    return cached
