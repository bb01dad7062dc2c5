"""Readers' pages and list counts, kept until the content changes (``content.changed()``).

Every page is cached under the paper's content version (``newsroom.content``).
A scheduled story needs no write to appear, so no cached page outlives the
next scheduled publication time (``next_scheduled()``).

The cache is Redis when ``REDIS_URL`` is set (shared by every web worker) and
local memory otherwise. ``NEWSROOM_PAGE_CACHE=0`` turns page caching off.

Each worker also keeps the pages it serves in its own memory (``content.near``),
in front of the shared cache: a cached page then costs no round trip to Redis,
which had cut cached pages to 0.37 of the framework's floor.
"""

import datetime
import functools
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .content import near, version
from .models import FrontPlacement, Story

NEVER = "never"


def enabled():
    return getattr(settings, "NEWSROOM_PAGE_CACHE", True)


def page_seconds():
    return getattr(settings, "NEWSROOM_PAGE_SECONDS", 600)


def next_scheduled():
    """When the next scheduled story appears, or None; looked up once per content version."""
    key = f"newsroom:next-scheduled:{version()}"
    value = cache.get(key)
    now = timezone.now()
    if value is None or (value != NEVER and value <= now):
        upcoming = Story.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        value = upcoming or NEVER
        cache.set(key, value, timeout=page_seconds())
    return None if value == NEVER else value


def next_front_expiry():
    """When the next of the front page's placements expires, or None; looked up once per content version."""
    key = f"newsroom:next-front-expiry:{version()}"
    value = cache.get(key)
    if value is None or (value != NEVER and value <= timezone.now()):
        value = FrontPlacement.objects.next_expiry() or NEVER
        cache.set(key, value, timeout=page_seconds())
    return None if value == NEVER else value


def seconds_to_keep():
    """How long a page may be kept: until the next scheduled story appears or a front placement expires."""
    seconds = page_seconds()
    for upcoming in (next_scheduled(), next_front_expiry()):
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
    cache_key = f"newsroom:{kind}:{version()}:{moment}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        seconds = seconds_to_keep()
        if seconds > 0:
            cache.set(cache_key, value, timeout=seconds)
    return value


def _key(request, current):
    """The page's key: scheme, host, path and the query the page reads (already all that is left of it).

    The host is part of it: feeds and sitemaps write absolute links, and a page first asked
    for under one name of the site must not be served under another.
    """
    address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"newsroom:page:{current}:{digest}"


def only_what_it_reads(request, reads):
    """Keep in ``request.GET`` only the parameters ``reads`` names, in a fixed order.

    The page is then rendered, and cached, as for the same address without the
    rest: ``?x=random`` neither misses the cache nor shows up in the page's links.
    """
    if not request.GET:
        return
    kept = [(name, value) for name in sorted(reads) for value in request.GET.getlist(name)]
    request.GET = QueryDict(urlencode(kept))


def public_page(view, reads=()):
    """Serve anonymous GETs of a readers' page from the cache, and cache what it renders.

    ``reads`` names the query parameters the page reads (its filters, ``page``);
    the others are dropped before the page sees the request.
    """

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        only_what_it_reads(request, reads)
        if not enabled() or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request, version())
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
