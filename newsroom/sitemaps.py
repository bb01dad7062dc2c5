from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Issue, Region, Story, Topic


class StorySitemap(Sitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Story.objects.published().only("pk", "published_at", "corrected_at").order_by("-pk")

    def lastmod(self, story):
        return story.corrected_at or story.published_at


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
            "newsroom:topic_list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "stories": StorySitemap,
    "issues": IssueSitemap,
    "regions": RegionSitemap,
    "topics": TopicSitemap,
}
