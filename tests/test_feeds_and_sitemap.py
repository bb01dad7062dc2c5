import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from django.utils.feedgenerator import rfc2822_date
from django.utils.html import escape
from django.utils.http import http_date

from newsroom.models import Story
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db


def item_titles(response):
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


@pytest.fixture
def stories(regions, chief):
    factories.published_story(headline="民乐稿", kicker="民乐县政协", region=factories.region("minle"))
    factories.published_story(headline="天水稿", region=factories.region("tianshui"))
    factories.story(headline="草稿", region=factories.region("minle"))
    factories.published_story(headline="定时稿", published_at=timezone.now() + datetime.timedelta(days=1))
    withdrawn = factories.published_story(headline="撤稿", region=factories.region("minle"))
    transition(withdrawn, Action.WITHDRAW, actor=chief, comment="重复刊发")


def test_latest_feed_lists_published_stories_newest_first(client, stories):
    response = client.get("/feeds/latest/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert item_titles(response) == ["天水稿", "民乐县政协：民乐稿"]
    # Feed readers ask again only for something newer than the newest story.
    newest = Story.objects.published().order_by("-published_at").first()
    assert response["Last-Modified"] == http_date(newest.published_at.timestamp())
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("lastBuildDate") == rfc2822_date(newest.published_at)


def test_region_feed_holds_the_region_and_its_counties(client, stories):
    assert item_titles(client.get("/feeds/regions/zhangye/")) == ["民乐县政协：民乐稿"]
    assert client.get("/feeds/regions/atlantis/").status_code == 404


def test_sitemap_lists_published_stories_only(client, stories):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"sitemap-stories.xml" in index.content

    page = client.get("/sitemap-stories.xml").content.decode()
    urls = [loc.text for loc in ET.fromstring(page).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]

    published = Story.objects.published()
    assert sorted(urls) == sorted(f"http://testserver{story.get_absolute_url()}" for story in published)
    assert len(urls) == 2


def test_feed_text_is_escaped(client, regions):
    factories.published_story(headline="<script>alert(1)</script>", paragraphs=("<b>粗</b>",))

    body = client.get("/feeds/latest/").content.decode()

    assert "<script>" not in body
    assert "<b>" not in body


def test_an_item_reads_as_the_story_opens_dateline_first(client, regions):
    bureau = factories.bureau("zhangye")
    long_opening = "11月20日，市政协组织委员视察<b>黑河</b>湿地保护工作。" + "委员们沿河查看。" * 40
    factories.published_story(headline="视察湿地", bureau=bureau, paragraphs=(long_opening, "第二段不进摘要。"))

    item = next(ET.fromstring(client.get("/feeds/latest/").content).iter("item"))
    description = item.findtext("description")

    assert description.startswith("本报张掖讯11月20日，市政协组织委员视察&lt;b&gt;黑河&lt;/b&gt;湿地保护工作。")
    # The opening cut at 200 characters, the last of them an ellipsis.
    assert description == escape("本报张掖讯" + long_opening[:199] + "…")
    assert "第二段" not in description


def test_each_item_carries_its_own_byline_and_authors(client, regions):
    bureau = factories.bureau("zhangye")
    writer, photographer = factories.correspondent("王熙乐"), factories.correspondent("鱼勇")
    factories.published_story(
        headline="有署名的稿件",
        bureau=bureau,
        paragraphs=("11月20日，委员们视察湿地。",),
        credits=[CreditInput(writer, "text", title="通讯员"), CreditInput(photographer, "photo")],
    )
    factories.published_story(headline="没有署名的稿件", bureau=bureau, paragraphs=("11月21日，召开会议。",))

    items = {item.findtext("title"): item for item in ET.fromstring(client.get("/feeds/latest/").content).iter("item")}
    creator = "{http://purl.org/dc/elements/1.1/}creator"

    assert items["有署名的稿件"].findtext("description").startswith("本报张掖讯(通讯员王熙乐)11月20日")
    assert items["有署名的稿件"].findtext(creator) == "王熙乐、鱼勇"
    assert items["没有署名的稿件"].findtext("description").startswith("本报张掖讯11月21日")
    assert items["没有署名的稿件"].find(creator) is None


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def test_the_news_sitemap_holds_the_last_two_days_stories_as_google_news_reads_them(client, regions):
    now = timezone.now()
    factories.published_story(headline="今天的稿件", published_at=now - datetime.timedelta(hours=3))
    factories.published_story(headline="前天的稿件", published_at=now - datetime.timedelta(days=1, hours=20))
    factories.published_story(headline="三天前的稿件", published_at=now - datetime.timedelta(days=3))
    factories.published_story(headline="明天的稿件", published_at=now + datetime.timedelta(days=1))
    factories.story(headline="草稿")

    assert b"sitemap-news.xml" in client.get("/sitemap.xml").content
    response = client.get("/sitemap-news.xml")
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")

    news = [url.find(f"{NEWS}news") for url in urls]
    assert [item.findtext(f"{NEWS}title") for item in news] == ["今天的稿件", "前天的稿件"]
    for url, item in zip(urls, news, strict=True):
        story = Story.objects.get(headline=item.findtext(f"{NEWS}title"))
        assert url.findtext(f"{SITEMAP}loc") == f"http://testserver{story.get_absolute_url()}"
        assert item.findtext(f"{NEWS}publication/{NEWS}name") == "甘肃政协报"
        assert item.findtext(f"{NEWS}publication/{NEWS}language") == "zh-cn"
        published = datetime.datetime.fromisoformat(item.findtext(f"{NEWS}publication_date"))
        assert published == story.published_at


def test_the_story_sitemap_names_each_lead_photo(client, regions):
    photographer = factories.correspondent("赵一鸣")
    report = factories.publish(factories.photo_story(headline="图片新闻", photographer=photographer))
    factories.published_story(headline="文字稿")

    root = ET.fromstring(client.get("/sitemap-stories.xml").content)

    images = {
        url.findtext(f"{SITEMAP}loc"): [image.findtext(f"{IMAGE}loc") for image in url.findall(f"{IMAGE}image")]
        for url in root.findall(f"{SITEMAP}url")
    }
    (photo,) = images[f"http://testserver{report.get_absolute_url()}"]
    largest = report.photos.get().renditions.filter(format="jpeg").order_by("-width").first()
    assert photo == f"http://testserver{largest.file.url}"
    assert photo.endswith(".jpg")
    assert [found for found in images.values() if not found] == [[]]
