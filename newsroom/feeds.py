"""RSS feeds of the newest published stories, overall and per region."""

from html import escape

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, rfc2822_date
from django.utils.http import http_date

from . import body
from .models import Region, Story, Topic

FEED_LENGTH = 30


def newest(stories):
    """The newest ``FEED_LENGTH`` of ``stories``, with what a feed item shows."""
    ids = list(stories.newest_first().values_list("pk", flat=True)[:FEED_LENGTH])
    return Story.objects.published().for_feed().in_order_of(ids)


class StoryFeed(Feed):
    """An RSS 2.0 feed of stories, written by ``templates/jinja2/newsroom/feed.xml``.

    Subclasses say what goes in it as Django's feeds do (``title``, ``items``, ``item_title``, …);
    the template writes what Django's ``Rss201rev2Feed`` would. Through Django's feed generator,
    which asks for each of an item's dozen fields by inspecting the method that gives it, then
    writes the XML element by element, thirty items took longer than reading them.
    """

    template_name = "newsroom/feed.xml"

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        domain, secure = get_current_site(request).domain, request.is_secure()

        def absolute(url):
            return add_domain(domain, url, secure)

        items = [self.item(story, absolute) for story in self._get_dynamic_attr("items", obj)]
        dates = [date for item in items for date in (item["published_at"], item["updated"]) if date]
        latest = max(dates) if dates else timezone.now()
        response = render(
            request,
            self.template_name,
            {
                "title": self._get_dynamic_attr("title", obj),
                "link": absolute(self._get_dynamic_attr("link", obj)),
                "description": self._get_dynamic_attr("description", obj),
                "feed_url": absolute(request.path),
                "language": settings.LANGUAGE_CODE,
                "last_build": rfc2822_date(latest),
                "items": items,
            },
            content_type="application/rss+xml; charset=utf-8",
        )
        response.headers["Last-Modified"] = http_date(latest.timestamp())
        return response

    def item(self, story, absolute):
        """What the template writes of one story, its links and enclosures' URLs made absolute."""
        enclosures = self.item_enclosures(story)
        for enclosure in enclosures:
            enclosure.url = absolute(enclosure.url)
        published = self.item_pubdate(story)
        return {
            "title": self.item_title(story),
            "link": absolute(self.item_link(story)),
            "description": self.item_description(story),
            "author": self.item_author_name(story),
            "published_at": published,
            "pubdate": rfc2822_date(published),
            "updated": self.item_updateddate(story),
            "categories": self.item_categories(story),
            "enclosures": enclosures,
        }


class LatestStoriesFeed(StoryFeed):
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
        """The dateline and the opening of the first paragraph, as HTML (escaped text), a plain string.

        Not Django's ``SafeString``: the template writes it into the XML escaped once more, as the text it is.
        """
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


class TopicStoriesFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        return Topic.objects.get(slug=slug)

    def title(self, topic):
        return f"{settings.NEWSROOM_TITLE} · 专题：{topic.name}"

    def link(self, topic):
        return topic.get_absolute_url()

    def description(self, topic):
        return topic.description or f"{settings.NEWSROOM_TITLE}专题“{topic.name}”的最新稿件"

    def items(self, topic):
        return newest(Story.objects.published().in_topic(topic))
