import pytest

from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories
from .pages import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(regions):
    return {
        "wang": factories.correspondent("王熙明", unit="张掖市政协办公室", phone="0936-1234567", email="w@example.cn"),
        "li": factories.correspondent("李岩松", title="记者"),
        "zhao": factories.correspondent("赵一鸣"),
    }


def test_the_dateline_and_byline_head_the_first_paragraph(client, people):
    story = factories.published_story(
        headline="召开主席会议",
        kicker="张掖市政协",
        bureau=factories.bureau("zhangye"),
        paragraphs=("11月18日，张掖市政协召开主席会议。", "会议强调，要抓好各项工作落实。"),
        credits=[CreditInput(people["wang"])],
    )

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<p class="kicker">张掖市政协</p>' in page
    assert "<h1>召开主席会议</h1>" in page
    assert '<p><span class="dateline">本报张掖讯(通讯员王熙明)</span>11月18日，张掖市政协召开主席会议。' in page
    assert "<p>会议强调，要抓好各项工作落实。</p>" in page


def test_several_people_in_one_byline_are_grouped_by_title(people):
    story = factories.story(
        bureau=factories.bureau("tianshui"),
        credits=[CreditInput(people["wang"]), CreditInput(people["zhao"]), CreditInput(people["li"])],
    )

    assert story.dateline == "本报天水讯(通讯员 王熙明 赵一鸣 记者李岩松)"


def test_a_story_without_bureau_but_with_a_byline_reads_benbaoxun(people):
    story = factories.story(region=factories.region("lanzhou"), credits=[CreditInput(people["li"])])

    assert story.dateline == "本报讯(记者李岩松)"


def test_a_trailing_byline_closes_the_last_paragraph(client, people):
    story = factories.published_story(
        bureau=factories.bureau("weiyuan"),
        paragraphs=("第一段。", "最后一段。"),
        credits=[CreditInput(people["zhao"], title="")],
    )

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<span class="dateline">本报渭源讯</span>第一段。' in page
    assert '最后一段。<span class="byline">(赵一鸣)</span></p>' in page


def test_subheads_stand_in_their_place_between_paragraphs(client, people):
    story = factories.published_story(paragraphs=("甲段。", "乙段。"), subheads=[(1, "创新工作机制")])

    page = client.get(story.get_absolute_url()).content.decode()

    assert page.index("甲段。") < page.index('<h2 class="subhead">创新工作机制</h2>') < page.index("乙段。")


def test_photos_show_with_caption_credit_and_alt_text(client, people):
    story = factories.publish(factories.photo_story(region=factories.region("xihe"), photographer=people["zhao"]))

    page = client.get(story.get_absolute_url()).content.decode()

    assert 'alt="委员为群众量血压"' in page
    assert "<figcaption>11月16日，委员们为群众义诊。" in page
    assert '<span class="photo-credit">通讯员 赵一鸣 摄</span>' in page
    assert "摄影报道" in page


def test_issue_page_and_continuation_are_shown(client, people):
    issue = factories.issue(number=1190)
    story = factories.published_story(issue=issue, page=1, continued_on_page=3)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "第1190期" in page
    assert "第1版（第1版名），转第3版" in page


def test_a_story_whose_beginning_is_on_another_page_says_where(client, people):
    story = factories.published_story(issue=factories.issue(number=1191), page=2, continued_from_page=1)

    assert '<p class="jump">（接第1版）</p>' in client.get(story.get_absolute_url()).content.decode()


def test_a_correction_note_is_dated_and_shown(client, chief, people):
    story = factories.published_story()
    transition(story, Action.CORRECT, actor=chief, comment="第二段中的日期应为11月17日。")

    page = client.get(story.get_absolute_url()).content.decode()

    assert "更正" in page
    assert "第二段中的日期应为11月17日。" in page


def test_related_stories_come_from_the_same_prefecture(client, people):
    story = factories.published_story(headline="民乐稿", region=factories.region("minle"))
    factories.published_story(headline="高台稿", region=factories.region("gaotai"))
    factories.published_story(headline="天水稿", region=factories.region("tianshui"))
    factories.story(headline="张掖草稿", region=factories.region("zhangye"))

    response = client.get(story.get_absolute_url())

    assert texts(response, ".related li a") == ["高台稿"]


def test_a_draft_is_not_found(client, people):
    draft = factories.story(headline="一篇草稿的标题")

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "一篇草稿的标题" not in response.content.decode()


def test_a_withdrawn_story_says_so_without_its_text(client, chief, people):
    story = factories.published_story(headline="被撤的稿", paragraphs=("不该再看到的正文。",))
    transition(story, Action.WITHDRAW, actor=chief, comment="内容有误")

    response = client.get(story.get_absolute_url())

    assert response.status_code == 410
    assert "稿件已撤回" in response.content.decode()
    assert "不该再看到的正文" not in response.content.decode()
    assert "被撤的稿" not in response.content.decode()


def test_markup_in_any_field_is_shown_as_text(client, people):
    evil = factories.correspondent('<script>alert("x")</script>')
    story = factories.published_story(
        headline="<b>标题</b>",
        kicker="<i>引题</i>",
        paragraphs=('<img src=x onerror="alert(1)">正文',),
        subheads=[(1, "<h1>小标题</h1>")],
        credits=[CreditInput(evil)],
    )

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<script>" not in page
    assert "<b>标题</b>" not in page
    assert "&lt;b&gt;标题&lt;/b&gt;" in page
    assert "<img src=x" not in page and "<h1>小标题" not in page
    assert '<img src=x onerror="alert(1)">正文' in texts(page, ".body p")[0]
    assert texts(page, ".body h2") == ["<h1>小标题</h1>"]


def test_contact_details_of_correspondents_are_never_shown(client, people):
    story = factories.published_story(credits=[CreditInput(people["wang"])], bureau=factories.bureau("zhangye"))

    for url in [story.get_absolute_url(), people["wang"].get_absolute_url(), "/articles/", "/feeds/latest/"]:
        page = client.get(url).content.decode()
        assert "0936-1234567" not in page
        assert "w@example.cn" not in page


# A story's neighbours on its printed page, and where it came from.


def test_previous_and_next_are_the_published_stories_beside_it_on_its_page(client, people):
    issue = factories.issue(number=1190)
    first = factories.published_story(headline="版上第一篇", issue=issue, page=2, position=1)
    factories.story(headline="未发的稿件", issue=issue, page=2, position=2)
    middle = factories.published_story(headline="版上中间一篇", issue=issue, page=2, position=3)
    factories.published_story(headline="另一版的稿件", issue=issue, page=3, position=4)
    last = factories.published_story(headline="版上最后一篇", issue=issue, page=2, position=5)

    def beside(story):
        page = client.get(story.get_absolute_url()).content.decode()
        return texts(page, "nav.beside li")

    assert beside(middle) == ["上一篇 版上第一篇", "下一篇 版上最后一篇"]
    assert beside(first) == ["下一篇 版上中间一篇"]
    assert beside(last) == ["上一篇 版上中间一篇"]
    page = client.get(middle.get_absolute_url()).content.decode()
    assert f'<a rel="prev" href="{first.get_absolute_url()}">' in page
    assert f'<a rel="next" href="{last.get_absolute_url()}">' in page
    assert 'aria-label="本版其他稿件"' in page


def test_a_story_on_no_page_has_no_neighbours(client, people):
    story = factories.published_story(headline="未排版的稿件")
    factories.published_story(headline="另一篇未排版的稿件")

    assert texts(client.get(story.get_absolute_url()), "nav.beside") == []


def test_the_source_is_the_bureau_the_paper_or_nothing_and_the_page_editor_where_known(client, people):
    issue = factories.issue(number=1190)
    issue.pages.filter(number=2).update(editor="张伟")
    from_bureau = factories.published_story(
        headline="记者站稿",
        bureau=factories.bureau("zhangye"),
        issue=issue,
        page=2,
        credits=[CreditInput(people["li"])],
    )
    from_paper = factories.published_story(headline="本报稿", credits=[CreditInput(people["li"])])
    unknown = factories.published_story(headline="来源不明的稿件")

    def provenance(story):
        return texts(client.get(story.get_absolute_url()), "p.provenance")

    assert provenance(from_bureau) == ["来源：张掖市记者站 责任编辑：张伟"]
    assert provenance(from_paper) == ["来源：本报"]
    assert provenance(unknown) == []
