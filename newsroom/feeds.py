"""RSS feeds of the newest published stories, overall and per region."""

import io

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape

from . import body
from .models import Region, Story

FEED_LENGTH = 30


def newest(stories):
    """The newest ``FEED_LENGTH`` of ``stories``, with what a feed item shows."""
    ids = list(stories.newest_first().values_list("pk", flat=True)[:FEED_LENGTH])
    return Story.objects.published().for_feed().in_order_of(ids)


class WholeRssFeed(Rss201rev2Feed):
    """RSS 2.0, handed to the response in one piece.

    Written straight into the response, a feed of thirty items was a
    thousand small writes, each encoded and kept apart: a millisecond.
    """

    def write(self, outfile, encoding):
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue())


class LatestStoriesFeed(Feed):
    feed_type = WholeRssFeed

    def title(self):
        return f"{settings.NEWSROOM_TITLE} · 最新稿件"

    def link(self):
        return reverse("newsroom:story_list")

    def description(self):
        return f"{settings.NEWSROOM_TITLE}最新发布的稿件"

    def stories(self):
        return Story.objects.published()

    def items(self):
        return newest(self.stories())

    def item_title(self, story):
        return f"{story.kicker}：{story.headline}" if story.kicker else story.headline

    def item_description(self, story):
        """The dateline and the opening of the first paragraph, as HTML (escaped text)."""
        return escape(story.dateline + body.shorten(body.lead(story.body), 200))

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.corrected_at or story.published_at

    def item_author_name(self, story):
        return "、".join(credit.correspondent.name for credit in story.credits.all()) or None

    def item_categories(self, story):
        return [story.region.name] if story.region_id else []

    def item_enclosures(self, story):
        """The lead photo, as the story page's smallest JPEG rendition: never the original."""
        photo = story.lead_photo
        picture = photo.article_picture if photo else None
        if picture is None:
            return []
        rendition = picture.fallback
        return [Enclosure(rendition.url, str(rendition.filesize), rendition.content_type)]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django makes item links absolute but not enclosures; feed readers need them absolute.
        domain = get_current_site(request).domain
        for item in feed.items:
            for enclosure in item["enclosures"]:
                enclosure.url = add_domain(domain, enclosure.url, request.is_secure())
        return feed


class RegionStoriesFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        try:
            return Region.objects.by_slug(slug)
        except Region.DoesNotExist:
            raise Http404("没有这个地区") from None

    def title(self, region):
        return f"{settings.NEWSROOM_TITLE} · {region.name}"

    def link(self, region):
        return region.get_absolute_url()

    def description(self, region):
        return f"{settings.NEWSROOM_TITLE}关于{region.name}的最新稿件"

    def items(self, region):
        return newest(Story.objects.published().in_region(region))
