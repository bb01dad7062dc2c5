"""Journey 1: a story from the correspondent's draft through the desk to the reader's screen."""

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from newsroom.models import Bureau, Correspondent, Region, Story
from newsroom.services import roles
from newsroom.services.regions import load_regions

from .conftest import DESKTOP, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "甘州区政协委员调研设施农业"
SUBHEAD = "科技助力增收"
DRAFT_BODY = (
    "11月24日，甘州区政协组织委员调研设施农业发展情况，走访了三个镇的蔬菜大棚。\n"
    f"## {SUBHEAD}\n"
    "委员们建议加大技术培训力度，帮助种植户用好智能温控设备。"
)
SENT_BACK_COMMENT = "请写明走访了哪几个镇。"
FIXED_BODY = DRAFT_BODY.replace("三个镇", "党寨、碱滩、上秦三个镇")
CAPTION = "委员们在蔬菜大棚里察看智能温控设备。"
ALT = "几位委员站在蔬菜大棚里听种植户介绍"


def photo_file(tmp_path):
    """A JPEG the correspondent took: green rows under a pale sky."""
    picture = Image.new("RGB", (1200, 800), (190, 215, 235))
    draw = ImageDraw.Draw(picture)
    for row in range(8):
        draw.rectangle([0, 400 + row * 50, 1200, 425 + row * 50], fill=(60, 140 + row * 10, 70))
    path = tmp_path / "dapeng.jpg"
    picture.save(path, "JPEG", quality=85)
    return path


def choose(page, select_id, typed, option):
    """Pick ``option`` in the admin's autocomplete box for ``select_id`` by typing ``typed``."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-container--open li.select2-results__option", has_text=option).first.click()


def act(session, action, comment=None):
    """Press a workflow button on the story's change page, with a comment where it needs one."""
    page = session.page
    form = page.locator("form.workflow-action", has=page.locator(f"input[name=action][value={action}]"))
    if comment is not None:
        form.locator("textarea[name=comment]").fill(comment)
    session.follow(form.locator("input[type=submit]"))
    assert page.locator(".messagelist .success").count() == 1, page.locator(".messagelist").inner_text()


def save_and_continue(session):
    page = session.page
    session.follow(page.locator("input[name=_continue]"))
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_story_from_draft_to_reader(open_session, people, tmp_path):
    load_regions()
    zhangye = Bureau.objects.create(region=Region.objects.get(slug="zhangye"))
    author = people("zhaomingyuan", roles.CONTRIBUTOR)
    Correspondent.objects.create(name="赵明远", title="通讯员", bureau=zhangye, user=author)
    people("bianji", roles.EDITOR)
    people("zongbian", roles.CHIEF_EDITOR)

    # The correspondent writes the story, with a subhead and a photo, and submits it.
    writer = open_session("editorial", DESKTOP)
    page = writer.page
    writer.login("zhaomingyuan")
    writer.check_accessible("the correspondent's start page")
    writer.follow(page.get_by_role("link", name="写一篇"))
    page.fill("#id_kicker", "甘州区政协")
    page.fill("#id_headline", HEADLINE)
    choose(page, "id_bureau", "张掖", "张掖")
    choose(page, "id_region", "甘州", "甘州区")
    page.fill("#id_event_date", "2026-11-24")
    page.fill("#id_body", DRAFT_BODY)
    page.locator("#credits-group .add-row a").click()
    choose(page, "id_credits-0-correspondent", "赵明远", "赵明远")
    page.fill("#id_credits-0-title", "通讯员")
    page.locator("#photos-group .add-row a").click()
    page.set_input_files("#id_photos-0-image", photo_file(tmp_path))
    page.fill("#id_photos-0-caption", CAPTION)
    page.fill("#id_photos-0-alt", ALT)
    choose(page, "id_photos-0-photographer", "赵明远", "赵明远")
    page.fill("#id_photos-0-photographer_title", "通讯员")
    writer.check_accessible("the story form")
    writer.shot("1-draft")
    save_and_continue(writer)
    story = Story.objects.get(headline=HEADLINE)
    assert story.photos.count() == 1 and story.created_by == author
    act(writer, "submit")
    writer.context.clear_cookies()

    # The editor finds it in the review queue and sends it back with a comment.
    desk = open_session("editorial", DESKTOP)
    desk.login("bianji")
    queue = desk.page.locator("section[aria-labelledby=desk-queue]")
    assert HEADLINE in queue.inner_text()
    desk.check_accessible("the editor's review queue")
    desk.shot("2-review-queue", full_page=False)
    desk.follow(queue.get_by_role("link", name=HEADLINE))
    desk.check_accessible("the story under review")
    act(desk, "send_back", SENT_BACK_COMMENT)

    # The correspondent sees the comment on their start page, fixes the story and submits again.
    writer.login("zhaomingyuan")
    mine = page.locator("section[aria-labelledby=desk-mine]")
    assert f"退回：{SENT_BACK_COMMENT}" in mine.inner_text()
    writer.shot("3-sent-back", full_page=False)
    writer.follow(mine.get_by_role("link", name=HEADLINE))
    page.fill("#id_body", FIXED_BODY)
    save_and_continue(writer)
    act(writer, "submit")

    # The editor approves; the chief editor publishes.
    desk.go(reverse("admin:index"))
    desk.follow(queue.get_by_role("link", name=HEADLINE))
    assert "党寨、碱滩、上秦三个镇" in desk.page.locator("#id_body").input_value()
    act(desk, "approve")
    chief = open_session("editorial", DESKTOP)
    chief.login("zongbian")
    chief.go(reverse("admin:newsroom_story_changelist") + "?state=approved")
    chief.check_accessible("the list of approved stories")
    chief.follow(chief.page.get_by_role("link", name=HEADLINE))
    act(chief, "publish")
    story.refresh_from_db()
    assert story.status == "published"

    # A reader finds it by region, then by searching, and reads it with its dateline, credits and photo.
    reader = open_session("editorial", DESKTOP)
    page = reader.page
    reader.go("/articles/")
    page.get_by_label("地区").select_option("zhangye")
    reader.follow(page.get_by_role("button", name="筛选"))
    assert page.locator(".active-filters").inner_text().count("张掖市") == 1
    assert page.locator(".story-list").get_by_role("link", name=HEADLINE).count() == 1
    reader.check_accessible("the list filtered by region")
    reader.shot("4-region-filter")
    page.get_by_role("search").get_by_label("搜索稿件").fill("碱滩")
    reader.follow(page.get_by_role("search").get_by_role("button", name="搜索"))
    reader.follow(page.locator(".story-list").get_by_role("link", name=HEADLINE))

    assert page.locator("h1").inner_text() == HEADLINE
    first = page.locator(".body p").first
    assert first.locator(".dateline").inner_text() == "本报张掖讯(通讯员赵明远)"
    assert "党寨、碱滩、上秦三个镇" in first.inner_text()
    assert page.locator(".body h2.subhead").inner_text() == SUBHEAD
    assert page.locator(".credits").inner_text().strip() == "通讯员 赵明远"
    photo = page.locator(".gallery img")
    assert photo.get_attribute("alt") == ALT
    wait_until(page, "img => img.complete && img.naturalWidth > 0", photo.element_handle())
    assert CAPTION in page.locator(".gallery figcaption").inner_text()
    assert "通讯员 赵明远 摄" in page.locator(".gallery figcaption").inner_text()
    reader.check_accessible("the published story")
    reader.shot("5-story")
