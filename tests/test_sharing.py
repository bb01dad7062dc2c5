"""Stories that travel: one address per page, a card and structured data where a story is shared, a QR code.

Every value is read back from the page as a parser would read it (a social site's, a search engine's).
"""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from newsroom.services.stories import CreditInput

from . import factories

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The ``<meta>`` and ``<link>`` tags, the JSON-LD blocks and the inline SVGs of a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.svgs = {}, {}, [], []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")
        elif tag == "svg":
            self.svgs.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data


def head_of(response):
    assert response.status_code == 200
    return Head(response.content.decode())


def canonical(response):
    (link,) = head_of(response).links["canonical"]
    return link["href"]


@pytest.fixture
def story(regions):
    wang = factories.correspondent("王熙乐")
    yu = factories.correspondent("鱼勇", title="记者")
    published = timezone.now() - datetime.timedelta(days=2)
    return factories.published_story(
        kicker="张掖市政协",
        headline="召开党组(扩大)会议 </script><b>“强工业”</b> & 招商",
        paragraphs=("6月28日,张掖市政协召开党组(扩大)会议。", "会议强调,要抓好落实。"),
        credits=[CreditInput(wang), CreditInput(yu, "photo")],
        photos=[
            factories.PhotoInput(
                image=factories.jpeg(1200, 900), caption="会议现场。", alt="会议现场全景", photographer=yu
            )
        ],
        published_at=published,
    )


def test_a_story_carries_its_card_for_wechat_and_social_sites(client, story):
    response = client.get(story.get_absolute_url())
    head = head_of(response)
    address = f"http://testserver/articles/{story.pk}/"

    assert canonical(response) == address
    assert head.meta["og:type"] == "article"
    assert head.meta["og:url"] == address
    assert head.meta["og:title"] == story.headline
    assert head.meta["og:site_name"] == "甘肃政协报"
    assert head.meta["og:description"] == "6月28日,张掖市政协召开党组(扩大)会议。"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:title"] == story.headline
    # The lead photo's largest JPEG rendition, absolute, of the size it says.
    image = head.meta["og:image"]
    assert image.startswith("http://testserver/media/") and image.endswith(".jpg")
    assert head.meta["twitter:image"] == image
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "900")
    assert head.meta["og:image:alt"] == "会议现场全景"
    published = datetime.datetime.fromisoformat(head.meta["article:published_time"])
    assert published == story.published_at


def test_a_story_is_a_news_article_to_search_engines(client, story):
    response = client.get(story.get_absolute_url())
    head = head_of(response)
    html = response.content.decode()

    (text,) = head.json_ld
    # The headline's "</script>" cannot end the block early: "<" is written as \u003c in the JSON.
    assert "</script><b>" not in html
    data = json.loads(text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["url"] == data["mainEntityOfPage"] == f"http://testserver/articles/{story.pk}/"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == story.published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= story.published_at
    assert [author["name"] for author in data["author"]] == ["王熙乐", "鱼勇"]
    assert data["image"] == [head.meta["og:image"]]
    assert data["publisher"]["name"] == "甘肃政协报"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/apple-touch-icon")


def test_a_story_without_a_photo_has_a_small_card_and_no_image(client, regions):
    story = factories.published_story(headline="民勤县政协推进农业节水")

    head = head_of(client.get(story.get_absolute_url()))

    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta
    assert "image" not in json.loads(head.json_ld[0])
    assert json.loads(head.json_ld[0])["author"] == []


def test_a_story_has_a_qr_code_of_its_address_made_here(client, story):
    import segno

    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    head = head_of(response)

    (svg,) = head.svgs
    assert svg["role"] == "img" and svg["aria-labelledby"] == "qr-label"
    assert '<p id="qr-label">用微信扫一扫' in html
    # The same code as the story's address makes: its modules drawn as the page draws them.
    expected = segno.make(f"http://testserver/articles/{story.pk}/", error="m").svg_inline(scale=3, lineclass=None)
    assert expected.split("<path", 1)[1] in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "http://testserver/"),
        ("/articles/", "http://testserver/articles/"),
        ("/articles/?page=1", "http://testserver/articles/"),
        ("/articles/?page=2", "http://testserver/articles/?page=2"),
        ("/articles/?region=zhangye&page=2&utm_source=wechat", "http://testserver/articles/?region=zhangye&page=2"),
        ("/articles/?page=99", "http://testserver/articles/?page=2"),
        ("/regions/zhangye/?page=2", "http://testserver/regions/zhangye/?page=2"),
        ("/regions/", "http://testserver/regions/"),
        ("/issues/", "http://testserver/issues/"),
    ],
)
def test_every_public_page_names_its_one_address(client, regions, url, expected):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(25):
        factories.published_story(
            headline=f"第{day}篇", region=factories.region("zhangye"), published_at=start + datetime.timedelta(days=day)
        )

    assert canonical(client.get(url)) == expected


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/sitemap-news.xml").status_code == 200


@pytest.mark.parametrize(
    ("url", "name", "signature"),
    [
        ("/favicon.ico", "favicon.ico", b"\x00\x00\x01\x00"),
        ("/apple-touch-icon.png", "apple-touch-icon.png", b"\x89PNG"),
    ],
)
def test_the_icons_are_where_browsers_look_for_them(client, db, url, name, signature):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"].startswith("/static/") and name.split(".")[0] in response["Location"]
    with open(finders.find(name), "rb") as icon:
        assert icon.read(4) == signature


def test_every_page_links_its_icons_and_print_stylesheet(client, db):
    head = head_of(client.get("/"))

    assert {link["href"].split("/")[-1] for link in head.links["icon"]} >= {"favicon.svg", "favicon.ico"}
    assert head.links["apple-touch-icon"][0]["href"].endswith("apple-touch-icon.png")
    (printed,) = [link for link in head.links["stylesheet"] if link.get("media") == "print"]
    assert printed["href"].endswith("print.css")
    for link in head.links["icon"] + head.links["apple-touch-icon"] + [printed]:
        assert finders.find(link["href"].removeprefix("/static/"))


def test_a_printed_story_is_the_story_its_credits_and_photos(client, story):
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        hidden = stylesheet.read().split("{ display: none", 1)[0]
    html = client.get(story.get_absolute_url()).content.decode()

    # What the page has around the story is hidden on paper: navigation, search, footer, related, QR code.
    for selector in (".masthead", ".footer", ".related", ".share", ".search", ".skip"):
        assert selector in hidden
    for kept in ("article", ".story", ".credits", ".gallery", ".body"):
        assert kept not in hidden.replace(".story-", "")
    assert 'class="masthead"' in html and 'class="share"' in html and 'class="credits"' in html


def test_an_editors_preview_carries_no_address_card_or_code(client, chief, regions):
    draft = factories.story(headline="尚未发布的稿件")
    client.force_login(chief)

    response = client.get(f"/admin/newsroom/story/{draft.pk}/preview/")
    head = head_of(response)

    assert "尚未发布的稿件" in response.content.decode()
    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links
    assert "og:title" not in head.meta and head.json_ld == [] and head.svgs == []
