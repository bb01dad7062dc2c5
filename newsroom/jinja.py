"""What readers' pages are written in: Jinja2 templates (``templates/jinja2/``), and what they may call.

The readers' pages are the ones every visitor renders, and Jinja2 compiles a template to Python:
a list of twenty stories rendered in under half the time of Django's template language. The admin
keeps Django's templates (``templates/admin/``). Here: ``url()`` and ``static()``, the paper's
dates, and ``picture()`` for a photo's ``<picture>`` element.
"""

import datetime
import functools
import re

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment
from markupsafe import Markup, escape

from . import sharing
from .body import paragraph_ends, placed_photos, shorten
from .models import page_url


def environment(**options):
    env = Environment(**options)
    env.globals.update(url=url, static=static, picture=picture, highlight=highlight)
    # Where a body's dateline and trailing byline go, and which photos it places itself (``body``).
    env.globals.update(paragraph_ends=paragraph_ends, placed_photos=placed_photos)
    # A page's address and a story's card, structured data and QR code (``sharing``).
    env.globals.update(
        canonical_url=sharing.canonical_url,
        share_image=sharing.share_image,
        modified_at=sharing.modified_at,
        news_article=sharing.news_article,
        json_ld=sharing.json_ld,
        qr_code=sharing.qr_code,
    )
    env.filters.update(
        cn_date=cn_date, cn_month_day=cn_month_day, cn_datetime=cn_datetime, iso=iso, truncatechars=truncatechars
    )
    return env


def url(name, *args, **kwargs):
    """``{{ url("newsroom:feed_region", region.slug) }}``: Django's ``reverse``, remembered (``models.page_url``)."""
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    return page_url(name, *args)


def truncatechars(value, length):
    """At most ``length`` characters, the last of them "…" where it was cut, as Django's filter of that name."""
    return shorten(str(value), length)


# Dates as the paper prints them: ``2026年11月25日``, ``11月25日``, ``2026年11月25日 08:30``.
# The same as Django's ``date`` filter with those formats, at a tenth of its cost:
# a list page prints two dates for each of its stories.


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def cn_date(value):
    """``2026年11月25日``"""
    if not value:
        return ""
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_month_day(value):
    """``11月25日``"""
    if not value:
        return ""
    value = _local(value)
    return f"{value.month}月{value.day}日"


def cn_datetime(value):
    """``2026年11月25日 08:30``"""
    if not value:
        return ""
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日 {value.hour:02d}:{value.minute:02d}"


def iso(value):
    """For ``<time datetime>``: ``2026-11-25T08:30:00+08:00``, or ``2026-11-25`` for a day."""
    if not value:
        return ""
    return _local(value).isoformat()


LAZY = ' loading="lazy"'


def picture(chosen, sizes, alt="", eager=False):
    """WebP sources and the JPEG fallback of ``chosen`` (an ``images.Picture``), for ``sizes``; nothing for None.

    The browser fetches it when it comes near the screen, or at once if ``eager`` (the first photo of a page).
    Written with an f-string, every value escaped: ``Markup.format`` took a photo list a tenth of its time.
    """
    if chosen is None:
        return ""
    sizes = escape(sizes)
    return Markup(
        f'<picture><source type="image/webp" srcset="{escape(chosen.webp_srcset)}" sizes="{sizes}">'
        f'<img src="{escape(chosen.src)}" srcset="{escape(chosen.jpeg_srcset)}" sizes="{sizes}" alt="{escape(alt)}"'
        f' width="{int(chosen.width)}" height="{int(chosen.height)}"{"" if eager else LAZY}></picture>'
    )


def highlight(text, terms):
    """``text`` escaped, every place one of ``terms`` (a search's words) is found in it, in any case, in ``<mark>``."""
    text = str(text)
    if not terms:
        return escape(text)
    parts, last = [], 0
    for found in _terms_pattern(tuple(terms)).finditer(text):
        parts += [escape(text[last : found.start()]), Markup("<mark>"), escape(found.group()), Markup("</mark>")]
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@functools.lru_cache(maxsize=64)
def _terms_pattern(terms):
    # The longest first, so that 招商引资 is marked whole where 招商 is a word too.
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
