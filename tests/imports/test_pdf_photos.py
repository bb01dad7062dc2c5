"""Photos placed on a page PDF go to their story at full resolution, through the checks and renditions of uploads."""

import datetime

import pytest

from newsroom.bulletin.writer import PrintedPart
from newsroom.demo import layout
from newsroom.demo.pictures import draw_picture
from newsroom.models import Photo, Story
from newsroom.services.imports import Upload, import_bulletin
from tests.bulletin import pdfpages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def page_pdf():
    pdfpages.needs_font()
    report = PrintedPart(
        kicker="",
        headline="委员走进田间察看秋粮收成",
        subheadline="",
        blocks=[("paragraph", "10月9日，民乐县政协委员来到六坝镇，察看玉米收获和秸秆还田情况。通讯员 马晓兰 摄影报道")],
    )
    article = PrintedPart(
        kicker="张掖市政协",
        headline="召开黑河流域生态保护协商会",
        subheadline="",
        blocks=[
            (
                "paragraph",
                "本报张掖讯(通讯员 刘长青)10月10日，张掖市政协召开黑河流域生态保护专题协商会，"
                "委员们围绕湿地保护、节水灌溉建言献策。",
            ),
            ("paragraph", "会议要求，要把协商成果转化为具体举措，持续做好跟踪问效。"),
        ],
    )
    pages = [
        layout.PageLayout(
            number=4,
            name="图片新闻",
            date="2026年10月12日 星期一",
            parts=[(report, [draw_picture("field-1"), draw_picture("field-2")]), (article, [draw_picture("meeting")])],
        )
    ]
    return layout.lay_out(pages)


def run(data, name="page-4.pdf"):
    plan, batch = import_bulletin(
        [Upload(name, data)], issue_number=1300, issue_date=datetime.date(2026, 10, 12), page_images_now=True
    )
    assert plan.errors == [], plan.errors
    return plan, batch


def test_photos_on_a_page_go_to_their_story_at_full_resolution_with_caption_and_credit(bureaus, page_pdf):
    run(page_pdf)

    report = Story.objects.get(headline="委员走进田间察看秋粮收成")
    assert report.kind == Story.Kind.PHOTO
    photos = list(report.photos.order_by("position"))
    assert len(photos) == 2
    assert [(photo.width, photo.height) for photo in photos] == [(1200, 800), (1200, 800)]
    assert photos[0].caption.startswith("10月9日，民乐县政协委员来到六坝镇")
    assert photos[0].credit_line == "通讯员 马晓兰 摄"
    # Readers get renditions, as of any upload.
    assert photos[0].article_picture is not None and photos[0].thumbnail is not None
    [meeting] = Story.objects.get(headline="召开黑河流域生态保护协商会").photos.all()
    assert meeting.caption == "召开黑河流域生态保护协商会" and (meeting.width, meeting.height) == (1200, 800)


def test_the_same_page_imported_again_adds_no_photo(bureaus, page_pdf):
    run(page_pdf)
    photos = list(Photo.objects.values_list("pk", "image"))

    plan, _ = run(page_pdf, name="again-4.pdf")

    assert list(Photo.objects.values_list("pk", "image")) == photos
    assert plan.summary()["updated"] == 0
