import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from newsroom.models import Bureau, Issue, Story

from .pages import texts

pytestmark = pytest.mark.django_db


def test_demo_paper_has_issues_published_stories_drafts_and_photo_reports(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())

    assert Issue.objects.count() >= 2
    assert Story.objects.published().count() >= 15
    assert Story.objects.exclude(status="published").exists()
    assert Story.objects.published().filter(kind="photo", photos__isnull=False).exists()
    assert Story.objects.published().exclude(continued_on_page=None).exists()
    assert Story.objects.published().filter(region__level="county").exists()
    assert Bureau.objects.count() >= 6


def test_demo_loads_once_however_often_it_runs(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    counts = (Story.objects.count(), Issue.objects.count(), Bureau.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    assert (Story.objects.count(), Issue.objects.count(), Bureau.objects.count()) == counts


def test_demo_prints_one_login_per_role_that_works(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out

    for username, role in [
        ("tongxunyuan", "通讯员/记者"),
        ("bianji", "编辑"),
        ("zongbian", "总编"),
        ("daoru", "导入员"),
    ]:
        assert username in output and role in output
        user = authenticate(username=username, password="newsroom-demo")
        assert user is not None and user.groups.filter(name=role).exists()


def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")


def test_demo_paper_is_printed_every_page_a_pdf_with_its_images_and_every_story_a_zone(
    settings, django_capture_on_commit_callbacks
):
    from newsroom.models import Page, PageImage
    from tests.bulletin import pdfpages

    pdfpages.needs_font()
    settings.DEBUG = True
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)

    pages = Page.objects.filter(issue__in=Issue.objects.all())
    assert pages.count() == 12 and not pages.filter(pdf="").exists()
    assert "Printed pages: 12 page PDFs" in out.getvalue()
    # The worker made each page's images: three widths, WebP and JPEG.
    assert PageImage.objects.count() == 12 * 6
    for story in Story.objects.all():
        placed = {zone.page.number for zone in story.zones.select_related("page")}
        assert placed == {story.page} | ({story.continued_on_page} if story.continued_on_page else set()), story
    # Each page prints its 责任编辑 at its foot, as the reader of page PDFs finds it again.
    from newsroom.bulletin.pdfpage import read_pdf

    page = pages.get(issue__number=1188, number=2)
    with page.pdf.open("rb") as pdf:
        assert [reading.editor for reading in read_pdf(pdf.read(), source="第2版.pdf")] == [page.editor] != [""]


def test_a_demo_story_names_its_page_s_editor(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    story = Story.objects.published().get(headline="督办中医药产业发展重点提案")

    assert "责任编辑：周晓燕" in client.get(story.get_absolute_url()).content.decode()


def test_without_a_chinese_font_the_demo_paper_is_text_only_and_says_so(settings, monkeypatch):
    from newsroom.demo import layout
    from newsroom.models import Page

    monkeypatch.setattr(layout, "FONT_FILES", [])
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert "没有找到中文字体" in out.getvalue()
    assert Story.objects.published().count() >= 15 and not Page.objects.exclude(pdf="").exists()


def test_the_demo_front_page_leads_with_its_curated_story_and_photo_and_shows_its_topics(settings, client, monkeypatch):
    # A day after issue 1189 came out: its front page story, the chief editor's lead, is public.
    day = timezone.make_aware(datetime.datetime(2026, 11, 28, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: day)
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())

    page = client.get("/")

    assert texts(page, ".front-lead h2") == ["协商推动新能源产业与装备制造协同发展"]
    assert "<picture>" in page.content.decode().split('class="front-top"')[0]
    assert texts(page, ".front-top article h3")[:3] == [
        "小板凳上议大事",
        "本报举办2026年度通讯员业务培训班",
        "专题协商推进老旧小区改造提质增效",
    ]
    assert texts(page, ".front-topics li a") == ["两会", "委员履职", "提案办理"]
    assert len(texts(page, ".photo-strip .caption")) == 4
