"""Sitemaps: every public page for search engines, the last two days' stories for news search engines.

The story sitemap names each story's lead photo (``image:image``); the news sitemap
(``sitemap-news.xml``) follows Google News' form (``news:news``: the paper, its language,
the story's publication time and headline). One template writes both (``newsroom/sitemap.xml``).
"""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from .models import Issue, Region, Story, Topic
from .sharing import share_image

# Google News reads stories of the last two days, at most a thousand in one sitemap.
NEWS_DAYS = 2
NEWS_LIMIT = 1000
NEWS_LANGUAGE = "zh-cn"


def absolute(url, protocol, domain):
    """A rendition's address as the sitemap's ``loc`` are written: absolute, unless storage made it so already."""
    return f"{protocol}://{domain}{url}" if url.startswith("/") else url


class StorySitemap(Sitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Story.objects.published().for_sitemap().order_by("-pk")

    def lastmod(self, story):
        return story.corrected_at or story.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        """Each story's address, and its lead photo's largest JPEG as its ``image:image`` (``url.images``)."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        protocol, domain = self.get_protocol(protocol), self.get_domain(site)
        for url in urls:
            image = share_image(url["item"])
            url["images"] = [absolute(image.url, protocol, domain)] if image is not None else []
        return urls


class NewsSitemap(StorySitemap):
    """The stories published in the last ``NEWS_DAYS`` days, newest first, for news search engines."""

    changefreq = "hourly"
    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - datetime.timedelta(days=NEWS_DAYS)
        recent = Story.objects.published().filter(published_at__gte=since)
        return recent.for_sitemap().newest_first()[:NEWS_LIMIT]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            story = url["item"]
            url["news"] = {
                "name": settings.NEWSROOM_TITLE,
                "language": NEWS_LANGUAGE,
                "date": timezone.localtime(story.published_at).isoformat(),
                "title": story.headline,
            }
        return urls


class IssueSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Issue.objects.public().only("number", "date")

    def lastmod(self, issue):
        return None


class RegionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Region.objects.only("slug")


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.active().only("slug")


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "newsroom:home",
            "newsroom:story_list",
            "newsroom:issue_list",
            "newsroom:region_list",
            "newsroom:bureau_list",
            "newsroom:topic_list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "stories": StorySitemap,
    "news": NewsSitemap,
    "issues": IssueSitemap,
    "regions": RegionSitemap,
    "topics": TopicSitemap,
}
