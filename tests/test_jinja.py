"""What readers' templates call (newsroom/jinja.py): links, static files, the paper's dates, photos."""

import datetime
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.template import engines
from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix

from newsroom.images import Picture
from newsroom.services.stories import PhotoInput

from . import factories

UTC = datetime.UTC


def render(source, **context):
    """``source`` rendered as a reader's page is: the site's Jinja2 environment, escaping on."""
    return engines["jinja2"].from_string(source).render(context)


class Tags(HTMLParser):
    """The start tags of some markup, each as (name, {attribute: value}), values unescaped."""

    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(markup):
    return Tags(markup).found


# url()


def test_url_links_a_page_by_its_name_and_arguments():
    assert render('{{ url("newsroom:home") }}') == "/"
    assert render('{{ url("newsroom:story", 1234) }}') == "/articles/1234/"
    assert render('{{ url("newsroom:feed_region", "lanzhou") }}') == "/feeds/regions/lanzhou/"
    assert render('{{ url("newsroom:issue", number=1190) }}') == "/issues/1190/"


def test_url_quotes_the_path_and_the_page_escapes_it_in_an_attribute():
    name = 'photos/2026/11/a&b "c" <d>.jpg'

    link = render('<a href="{{ url("newsroom:photo_original", name) }}">原图</a>', name=name)

    assert link == '<a href="/staff/originals/photos/2026/11/a&amp;b%20%22c%22%20%3Cd%3E.jpg">原图</a>'
    assert tags(link) == [("a", {"href": "/staff/originals/photos/2026/11/a&b%20%22c%22%20%3Cd%3E.jpg"})]


def test_a_link_that_cannot_be_made_breaks_the_page_rather_than_pointing_nowhere():
    with pytest.raises(NoReverseMatch):
        render('{{ url("newsroom:story", "not-a-number") }}')
    with pytest.raises(NoReverseMatch):
        render('{{ url("newsroom:no_such_page") }}')


def test_links_follow_the_script_prefix_the_site_is_served_under():
    before = get_script_prefix()
    assert render('{{ url("newsroom:story", 7) }}') == "/articles/7/"
    try:
        set_script_prefix("/paper/")
        # The same link, remembered for "/", must not be given under another prefix.
        assert render('{{ url("newsroom:story", 7) }}') == "/paper/articles/7/"
        assert render('{{ url("newsroom:issue", number=1190) }}') == "/paper/issues/1190/"
    finally:
        set_script_prefix(before)
    assert render('{{ url("newsroom:story", 7) }}') == "/articles/7/"


# static()


def test_static_links_the_stylesheet_by_its_name_in_development():
    assert render('<link rel="stylesheet" href="{{ static("css/site.css") }}">') == (
        '<link rel="stylesheet" href="/static/css/site.css">'
    )


def test_static_links_the_hashed_copy_where_collected_files_carry_their_hash(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    href = render('{{ static("css/site.css") }}')

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href), href
    # The hashed copy is the stylesheet itself, so it can be cached for ever.
    source = settings.BASE_DIR / "static" / "css" / "site.css"
    assert (settings.STATIC_ROOT / href.removeprefix("/static/")).read_bytes() == source.read_bytes()
    # A file that was never collected is an error, not a link that answers 404.
    with pytest.raises(ValueError, match="css/missing.css"):
        render('{{ static("css/missing.css") }}')


# The paper's dates, in Lanzhou's time (Asia/Shanghai)

DATES = "{{ moment|cn_date }}|{{ moment|cn_month_day }}|{{ moment|cn_datetime }}|{{ moment|iso }}"


@pytest.mark.parametrize(
    ("moment", "printed"),
    [
        # Midnight in Lanzhou is 16:00 UTC: a story published then belongs to the next day.
        (
            datetime.datetime(2026, 11, 24, 15, 59, tzinfo=UTC),
            "2026年11月24日|11月24日|2026年11月24日 23:59|2026-11-24T23:59:00+08:00",
        ),
        (
            datetime.datetime(2026, 11, 24, 16, 0, tzinfo=UTC),
            "2026年11月25日|11月25日|2026年11月25日 00:00|2026-11-25T00:00:00+08:00",
        ),
        # New Year comes eight hours earlier in Lanzhou.
        (
            datetime.datetime(2025, 12, 31, 16, 5, tzinfo=UTC),
            "2026年1月1日|1月1日|2026年1月1日 00:05|2026-01-01T00:05:00+08:00",
        ),
        # No leading zero in the month or the day; hours and minutes always have two digits.
        (
            datetime.datetime(2026, 1, 5, 1, 7, 9, tzinfo=UTC),
            "2026年1月5日|1月5日|2026年1月5日 09:07|2026-01-05T09:07:09+08:00",
        ),
        # A time given in another zone is printed in the paper's.
        (
            datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
            "2026年3月2日|3月2日|2026年3月2日 01:00|2026-03-02T01:00:00+08:00",
        ),
    ],
)
def test_dates_are_printed_as_the_paper_prints_them_in_its_own_time_zone(moment, printed):
    assert render(DATES, moment=moment) == printed


def test_an_issue_date_is_printed_as_that_day_whatever_the_time_zone():
    printed = render("{{ day|cn_date }}|{{ day|cn_month_day }}|{{ day|iso }}", day=datetime.date(2026, 11, 25))

    assert printed == "2026年11月25日|11月25日|2026-11-25"


def test_a_missing_date_prints_nothing():
    assert render(DATES, moment=None) == "|||"


def test_a_time_element_carries_the_machine_date_and_the_printed_one():
    moment = datetime.datetime(2026, 11, 24, 16, 30, tzinfo=UTC)

    printed = render('<time datetime="{{ moment|iso }}">{{ moment|cn_datetime }}</time>', moment=moment)

    assert printed == '<time datetime="2026-11-25T00:30:00+08:00">2026年11月25日 00:30</time>'


# truncatechars


def test_truncatechars_cuts_a_long_text_with_an_ellipsis_and_leaves_a_short_one():
    headline = "甘肃省政协召开十三届常委会议"

    assert render("{{ text|truncatechars(6) }}", text=headline) == "甘肃省政协…"
    assert render("{{ text|truncatechars(14) }}", text=headline) == headline
    assert render("{{ text|truncatechars(120) }}", text=headline) == headline


def test_truncated_text_is_still_escaped():
    assert render("{{ text|truncatechars(10) }}", text="<script>alert(1)</script>") == "&lt;script&gt;a…"


# picture()


@pytest.fixture
def photo(db, tmp_path):
    """A 1000 × 750 photo of a story, with its renditions made."""
    story = factories.story(
        headline="委员开展义诊活动",
        photos=[PhotoInput(image=factories.jpeg(1000, 750), caption="委员为群众义诊。", alt="委员为群众量血压")],
    )
    return story.photos.get()


def rendition_urls(photo, image_format):
    return {rendition.width: rendition.url for rendition in photo.renditions.filter(format=image_format)}


def test_a_photo_on_the_story_page_offers_webp_and_jpeg_at_each_width(photo):
    webp, jpeg = rendition_urls(photo, "webp"), rendition_urls(photo, "jpeg")
    sizes = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

    markup = render("{{ picture(photo.article_picture, sizes=sizes, alt=photo.alt) }}", photo=photo, sizes=sizes)

    assert markup.startswith("<picture>") and markup.endswith("</picture>")
    assert tags(markup) == [
        ("picture", {}),
        ("source", {"type": "image/webp", "srcset": f"{webp[800]} 800w, {webp[1000]} 1000w", "sizes": sizes}),
        (
            "img",
            {
                "src": jpeg[800],
                "srcset": f"{jpeg[800]} 800w, {jpeg[1000]} 1000w",
                "sizes": sizes,
                "alt": "委员为群众量血压",
                "width": "800",
                "height": "600",
                "loading": "lazy",
            },
        ),
    ]
    assert re.fullmatch(r"/media/photos/\d{4}/\d{2}/[^/]+-800w\.webp", webp[800])
    assert re.fullmatch(r"/media/photos/\d{4}/\d{2}/[^/]+-800w\.jpg", jpeg[800])


def test_a_thumbnail_offers_the_list_widths(photo):
    jpeg = rendition_urls(photo, "jpeg")

    (_, _, img) = tags(render('{{ picture(photo.thumbnail, sizes="8rem") }}', photo=photo))

    assert img[1]["srcset"] == f"{jpeg[320]} 320w, {jpeg[640]} 640w"
    assert (img[1]["src"], img[1]["width"], img[1]["height"], img[1]["sizes"]) == (jpeg[320], "320", "240", "8rem")


def test_the_first_photo_of_a_page_is_fetched_at_once_the_others_when_near(photo):
    eager = render('{{ picture(photo.thumbnail, sizes="8rem", eager=True) }}', photo=photo)
    lazy = render('{{ picture(photo.thumbnail, sizes="8rem") }}', photo=photo)

    assert "loading" not in tags(eager)[2][1]
    assert tags(lazy)[2][1]["loading"] == "lazy"


def test_no_photo_or_renditions_not_all_made_print_nothing(photo):
    photo.renditions.filter(format="webp", width=1000).delete()
    photo = type(photo).objects.get(pk=photo.pk)

    assert render('{{ picture(photo.article_picture, sizes="42rem") }}|', photo=photo) == "|"
    assert render('{{ picture(None, sizes="8rem") }}|') == "|"


def signed(width):
    """A rendition on object storage, its link signed as S3 signs it."""
    url = f"https://media.example.cn/photos/a-{width}w.jpg?X-Amz-Expires=600&X-Amz-Signature=ab%2Fcd"
    return SimpleNamespace(url=url, width=width, height=width * 3 // 4)


def test_alt_text_sizes_and_links_are_escaped_in_the_markup():
    chosen = Picture(webp=(signed(320), signed(640)), jpeg=(signed(320), signed(640)))
    alt = '委员"量血压"<script>alert(1)</script>&'
    sizes = '8rem" onerror="alert(1)'

    markup = render("{{ picture(chosen, sizes=sizes, alt=alt) }}", chosen=chosen, alt=alt, sizes=sizes)

    assert "<script>" not in markup and 'onerror="' not in markup
    assert 'alt="委员&#34;量血压&#34;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"' in markup
    assert 'src="https://media.example.cn/photos/a-320w.jpg?X-Amz-Expires=600&amp;X-Amz-Signature=ab%2Fcd"' in markup
    img = tags(markup)[2][1]
    assert (img["alt"], img["sizes"], img["src"]) == (alt, sizes, signed(320).url)
    assert img["srcset"] == f"{signed(320).url} 320w, {signed(640).url} 640w"
    assert (img["width"], img["height"]) == ("320", "240")


def test_a_photo_narrower_than_the_list_widths_is_never_offered_wider(db):
    story = factories.story(photos=[PhotoInput(image=factories.jpeg(200, 150), caption="小图。", alt="小图")])
    photo = story.photos.get()
    jpeg = rendition_urls(photo, "jpeg")

    img = tags(render('{{ picture(photo.thumbnail, sizes="8rem") }}', photo=photo))[2][1]

    assert img["srcset"] == f"{jpeg[200]} 200w"
    assert (img["width"], img["height"]) == ("200", "150")
