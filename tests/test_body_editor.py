"""The body's editor: the story page renders every block, the form saves typed and pasted text, the preview."""

import pytest
from django.urls import reverse

from newsroom import body as story_body
from newsroom.models import Story
from newsroom.services.stories import PhotoInput

from . import factories
from .admin_forms import change_form_data
from .pages import texts

pytestmark = pytest.mark.django_db

TYPED = """本报讯 委员们来到兰州新区，察看产业园区建设。

## 委员名单

> 要把政协的协商成果转化为发展实效。

[图2]

表：参加视察的委员
| 姓名 | 界别 |
|---|---|
| 马文清 | 经济界 |

视察结束后召开了座谈会。"""


def photos(count):
    return [
        PhotoInput(
            image=factories.jpeg(color=(40 * number, 90, 120)), caption=f"第{number}张图的说明", alt=f"图{number}"
        )
        for number in range(1, count + 1)
    ]


def test_the_story_page_shows_every_block_in_its_place_and_the_other_photos_in_the_gallery(client, regions):
    story = factories.published_story(
        headline="委员视察兰州新区", body=story_body.from_editable(TYPED), photos=photos(2)
    )

    page = client.get(story.get_absolute_url())

    assert texts(page, "div.body h2") == ["委员名单"]
    assert texts(page, "div.body blockquote") == ["要把政协的协商成果转化为发展实效。"]
    assert texts(page, "div.body figure figcaption") == ["第2张图的说明"]
    assert texts(page, "div.gallery figcaption") == ["第1张图的说明"]
    assert texts(page, "div.body table caption") == ["参加视察的委员"]
    assert texts(page, "div.body thead th") == ["姓名", "界别"]
    assert texts(page, "div.body tbody td") == ["马文清", "经济界"]
    html = page.content.decode()
    assert '<th scope="col">姓名</th>' in html
    order = [
        html.index(mark) for mark in ("委员们来到", "委员名单</h2>", "<blockquote", "第2张图的说明", "<table", "座谈会")
    ]
    assert order == sorted(order)


def test_search_finds_a_story_by_a_word_in_a_table_cell(client, regions):
    factories.published_story(headline="委员视察兰州新区", body=story_body.from_editable(TYPED), photos=photos(2))

    page = client.get(reverse("newsroom:story_list"), {"q": "马文清"})

    assert "委员视察兰州新区" in texts(page, "article.story-item h3")


@pytest.fixture
def draft(regions, contributor):
    return factories.story(headline="县政协开展调研", created_by=contributor, photos=photos(1))


def change_url(story):
    return reverse("admin:newsroom_story_change", args=[story.pk])


def test_a_word_paste_is_saved_as_clean_paragraphs_without_javascript(client, contributor, draft):
    client.force_login(contributor)
    page = client.get(change_url(draft))
    pasted = "　　11月18日,县政协组织委员深入乡镇开展调研,围绕\r\n农村养老服务提出建议。\r\n[图1]\r\n| 乡镇 | 人数 |"

    response = client.post(change_url(draft), change_form_data(page, body=pasted))

    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.body == [
        {"kind": "paragraph", "text": "11月18日，县政协组织委员深入乡镇开展调研，围绕农村养老服务提出建议。"},
        {"kind": "photo", "photo": 1},
        {"kind": "table", "rows": [["乡镇", "人数"]], "header": False, "caption": ""},
    ]


def test_a_rejected_body_names_the_block_and_keeps_the_typed_text(client, contributor, draft):
    client.force_login(contributor)
    page = client.get(change_url(draft))
    typed = "第一段写好了。\n\n[图3]\n\n第三段也写好了。"

    response = client.post(change_url(draft), change_form_data(page, body=typed))

    html = response.content.decode()
    assert response.status_code == 200
    assert "正文第2块放的是图3，本稿只有1张图片。" in html
    assert "第三段也写好了。" in texts(html, "textarea")[0]
    assert Story.objects.get(pk=draft.pk).body == draft.body


def test_the_form_shows_the_story_photos_to_place_and_the_saved_count(client, contributor, draft):
    client.force_login(contributor)

    page = client.get(change_url(draft))

    assert texts(page, "select#id_body-photo option")[1:] == ["图1：第1张图的说明"]
    assert texts(page, "p.body-editor-count") == ["字数：汉字 11，其他字符 6（不计空格）"]


def body_preview(client, story, text):
    return client.post(reverse("admin:newsroom_story_body_preview", args=[story.pk]), {"body": text})


def test_the_preview_renders_the_body_escaped_as_readers_will_see_it(client, contributor, draft):
    client.force_login(contributor)

    response = body_preview(client, draft, "## 小标题\n\n| <script>alert(1)</script> | 甲 |\n\n[图1]")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert texts(html, "h2.subhead") == ["小标题"]
    assert texts(html, "figure figcaption") == ["第1张图的说明"]


def test_the_preview_names_what_is_wrong(client, contributor, draft):
    client.force_login(contributor)

    response = body_preview(client, draft, "| 甲 |\n|---|")

    assert texts(response, "p.errornote") == ["正文还有问题，改好后再预览：正文第1块（表格）只有表头，没有内容行。"]


def test_only_those_who_may_edit_the_story_get_its_preview(client, contributor, editor, draft):
    other = factories.staff("another-writer", "通讯员/记者")
    client.force_login(other)
    assert body_preview(client, draft, "偷看").status_code == 404

    client.force_login(editor)
    assert body_preview(client, draft, "偷看").status_code == 404  # a draft is its author's alone

    factories.publish(draft)
    client.force_login(contributor)
    assert body_preview(client, draft, "改稿").status_code == 403  # published: no longer the author's to edit

    client.logout()
    assert body_preview(client, draft, "改稿").status_code == 302


def test_a_new_story_previews_its_body_before_it_is_saved(client, contributor):
    client.force_login(contributor)

    response = client.post(reverse("admin:newsroom_story_new_body_preview"), {"body": "> 引文。"})

    assert texts(response, "blockquote") == ["引文。"]
