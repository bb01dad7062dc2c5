"""What a story carries when it travels: its one address, its card for WeChat and social sites, its structured data.

A story shared shows as a card (OpenGraph and Twitter tags, the lead photo's largest JPEG),
search engines read it as a NewsArticle (JSON-LD), and a phone scans its QR code. Every URL
here is absolute: a card or a QR code is read far from the page. Nothing here reads the
database: the story page has its credits, photos and issue already (``for_reading()``).
"""

import functools
import json

import segno
from django.conf import settings
from django.templatetags.static import static
from markupsafe import Markup

# The icon search engines and apps show for the paper (static/apple-touch-icon.png, 180 × 180).
TOUCH_ICON = "apple-touch-icon.png"


def canonical_url(request, page=None):
    """The page's one address, absolute: its path and the query parameters it reads; page 1 has no number.

    The page cache has dropped the parameters a page does not read (``cache.public_page``),
    so ``?utm_source=…`` never makes a second address for a page.
    """
    query = request.GET.copy()
    query.pop("page", None)
    if page is not None and page > 1:
        query["page"] = page
    query = query.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def share_image(story):
    """The lead photo's largest JPEG rendition (a card's picture), or None."""
    photo = story.lead_photo
    picture = photo.article_picture if photo is not None else None
    return picture.jpeg[-1] if picture is not None else None


def modified_at(story):
    """When readers last saw the story change: its last edit or correction, not before it was published."""
    return max(time for time in (story.published_at, story.updated_at, story.corrected_at) if time is not None)


def news_article(story, request, url):
    """The story as schema.org's NewsArticle, for ``json_ld``."""
    image = share_image(story)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": story.headline,
        "datePublished": story.published_at.isoformat(),
        "dateModified": modified_at(story).isoformat(),
        # Everyone credited, writers and photographers, each once.
        "author": [
            {"@type": "Person", "name": name}
            for name in dict.fromkeys(credit.correspondent.name for credit in story.credits.all())
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_TITLE,
            "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static(TOUCH_ICON))},
        },
    }
    if image is not None:
        data["image"] = [request.build_absolute_uri(image.url)]
    return data


def json_ld(data):
    """``<script type="application/ld+json">`` holding ``data``, safe in HTML: ``<``, ``>``, ``&`` escaped in the JSON.

    A data block, which browsers never run: the content security policy's ``script-src`` is not asked.
    """
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


@functools.lru_cache(maxsize=1000)
def qr_code(url):
    """An SVG QR code of ``url``, made here (no outside service), for WeChat's scanner: remembered per URL."""
    svg = segno.make(url, error="m").svg_inline(scale=3, svgclass="qr", lineclass=None, omitsize=False)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-label" ', 1))
