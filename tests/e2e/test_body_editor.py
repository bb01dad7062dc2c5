"""Journey: an editor at a laptop's width works the desk, then writes a story in the body editor."""

import pytest
from django.urls import reverse

from newsroom import body as story_body
from newsroom import pasting
from newsroom.models import Bureau, Correspondent, Region, Story
from newsroom.services import roles
from newsroom.services.regions import load_regions
from newsroom.services.stories import CreditInput, create_story
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.test_pasting import WEB, WORD, WPS

from .conftest import SCREENSHOTS
from .test_editorial_journey import act, photo_file, save_and_continue

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
HEADLINE = "临泽县政协委员调研设施农业"
# As Word copies it: a full-width indent, a hard line break every thirty-odd characters, half-width commas.
PASTED = (
    "　　11月24日,临泽县政协组织部分委员深入沙河、平川两镇,调研设施\r\n"
    "农业发展情况。委员们走进蔬菜大棚,与种植户面对面交流,详细了解\r\n"
    "智能温控设备的使用和销售渠道建设情况。\r\n"
)
CLEAN = (
    "11月24日，临泽县政协组织部分委员深入沙河、平川两镇，调研设施农业发展情况。"
    "委员们走进蔬菜大棚，与种植户面对面交流，详细了解智能温控设备的使用和销售渠道建设情况。"
)
TABLE = "| 乡镇 | 大棚数 |\n|---|---|\n| 沙河镇 | 120 |\n| 平川镇 | 86 |"


def paste(page, selector, text):
    """Paste ``text`` into the box, as the browser does from the clipboard (a paste event carrying it)."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector(selector).dispatchEvent(event);
        }""",
        [selector, text],
    )


def to_end(page):
    page.locator("#id_body").evaluate(
        "box => { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }"
    )


def shown_count(page):
    return int(page.locator("[data-han]").inner_text()), int(page.locator("[data-other]").inner_text())


def test_an_editor_sends_a_story_back_and_writes_one_with_a_photo_and_a_table(open_session, people, tmp_path):
    load_regions()
    linze = Bureau.objects.create(region=Region.objects.get(slug="linze"))
    author = people("zhaomingyuan", roles.CONTRIBUTOR)
    zhao = Correspondent.objects.create(name="赵明远", title="通讯员", bureau=linze, user=author)
    # A piece of his already printed, in issue 1190: the records count it and its characters.
    printed = factories.published_story(
        headline="临泽县政协调研红枣产业",
        paragraphs=("11月12日，临泽县政协调研红枣产业发展。",),
        bureau=linze,
        issue=factories.issue(number=1190, pages=2),
        page=2,
        credits=[CreditInput(zhao)],
    )
    editor = people("bianji", roles.EDITOR)
    people("zongbian", roles.CHIEF_EDITOR)
    waiting = create_story(
        headline="沙河镇召开委员工作站座谈会",
        bureau=linze,
        body=story_body.make([("paragraph", "11月20日，沙河镇委员工作站召开座谈会。")]),
        created_by=author,
    )
    transition(waiting, Action.SUBMIT, actor=author)

    # The desk at a laptop's width: the story waiting for review is sent back with a comment.
    desk = open_session("body-editor", LAPTOP)
    page = desk.page
    desk.login("bianji")
    queue = page.locator("section[aria-labelledby=desk-queue]")
    desk.follow(queue.get_by_role("link", name="沙河镇召开委员工作站座谈会"))
    act(desk, "send_back", "请补充座谈会上委员提出的建议。")
    assert "/admin/" in page.url and "不存在" not in page.inner_text("body")

    # The correspondents' records, from the desk's link: pieces and characters per person.
    desk.go(reverse("admin:index"))
    desk.follow(page.get_by_role("link", name="通讯员发稿统计"))
    page.fill("#id_first_issue", "1190")
    page.get_by_role("button", name="统计").click()
    page.wait_for_url("**first_issue=1190**")
    cells = page.locator("tr", has_text="赵明远").first.locator("th, td").all_inner_texts()
    printed.refresh_from_db()
    assert "1" in cells and str(printed.char_count) in cells, cells
    desk.shot("records")

    # The editor writes a story: a paragraph pasted from Word, and a photo, saved.
    desk.go(reverse("admin:newsroom_story_add"))
    page.fill("#id_headline", HEADLINE)
    paste(page, "#id_body", PASTED)
    assert page.locator("#id_body").input_value() == CLEAN
    page.locator("#photos-group .add-row a").click()
    page.set_input_files("#id_photos-0-image", photo_file(tmp_path))
    page.fill("#id_photos-0-caption", "委员们在大棚里察看智能温控设备。")
    page.fill("#id_photos-0-alt", "委员们在蔬菜大棚里")
    save_and_continue(desk)
    story = Story.objects.get(headline=HEADLINE)

    # A subhead, a paragraph, the photo between paragraphs and a table, from the toolbar.
    to_end(page)
    page.get_by_role("button", name="小标题").click()
    page.keyboard.type("科技助力增收")
    to_end(page)
    page.keyboard.type("\n\n委员们建议加大技术培训力度。")
    page.locator("[data-photo-list]").select_option("1")
    page.get_by_role("button", name="插入", exact=True).click()
    page.keyboard.type("种植户表示，设备用起来很方便。")
    page.get_by_role("button", name="插入表格").click()
    page.keyboard.type("两镇大棚数")
    template = page.locator("#id_body").input_value().split("表：两镇大棚数\n")[1]
    page.locator("#id_body").evaluate(
        "(box, part) => { const at = box.value.lastIndexOf(part); box.setSelectionRange(at, at + part.length); }",
        template.rstrip("\n"),
    )
    page.keyboard.insert_text(TABLE)
    typed = page.locator("#id_body").input_value()

    # The live count is the server's count of what will be saved.
    expected = story_body.character_count(story_body.from_editable(pasting.clean_pasted(typed)))
    assert shown_count(page) == expected

    # The preview shows the body as readers will see it.
    page.get_by_role("button", name="预览正文").click()
    preview = page.locator("[data-preview-box]")
    preview.locator("table").wait_for()
    assert preview.locator("h2.subhead").inner_text() == "科技助力增收"
    assert preview.locator("figcaption").inner_text().startswith("委员们在大棚里察看智能温控设备。")
    assert preview.locator("caption").inner_text() == "两镇大棚数"
    desk.check_accessible("the body editor with its preview")
    page.locator(".field-body").screenshot(path=SCREENSHOTS / "body-editor.png")

    save_and_continue(desk)
    story.refresh_from_db()
    assert [block["kind"] for block in story.body] == [
        "paragraph",
        "subhead",
        "paragraph",
        "photo",
        "paragraph",
        "table",
    ]
    assert story.body[0]["text"] == CLEAN
    assert shown_count(page) == expected

    # Through the workflow to the reader: the blocks in the order they were written.
    transition(story, Action.SUBMIT, actor=editor)
    transition(story, Action.APPROVE, actor=editor)
    chief = open_session("body-editor", LAPTOP)
    chief.login("zongbian")
    chief.go(reverse("admin:newsroom_story_change", args=[story.pk]))
    act(chief, "publish")
    reader = open_session("body-editor", LAPTOP)
    reader.go(story.get_absolute_url())
    blocks = reader.page.locator("div.body > *")
    tags = blocks.evaluate_all("nodes => nodes.map(node => node.tagName.toLowerCase() + '.' + node.className)")
    assert tags == ["p.", "h2.subhead", "p.", "figure.placed-photo", "p.", "div.table-wrap"]
    assert reader.page.locator("div.gallery").count() == 0  # the one photo stands in the body
    assert reader.page.locator("div.body th").all_inner_texts() == ["乡镇", "大棚数"]
    reader.check_accessible("a story with a photo in its body and a table")
    reader.page.locator("article.story").screenshot(path=SCREENSHOTS / "body-editor-story.png")


def test_the_browser_cleans_and_counts_as_the_server_does(open_session, people):
    people("bianji", roles.EDITOR)
    desk = open_session("body-editor", LAPTOP)
    desk.login("bianji")
    desk.go(reverse("admin:newsroom_story_add"))

    for sample in (WORD, WEB, WPS, PASTED):
        cleaned = desk.page.evaluate("text => window.newsroomBody.cleanPasted(text)", sample)
        assert cleaned == pasting.clean_pasted(sample)
        counted = desk.page.evaluate("text => window.newsroomBody.count(text)", cleaned)
        assert (counted["han"], counted["other"]) == story_body.character_count(story_body.from_editable(cleaned))
