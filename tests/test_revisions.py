"""Versions of a story: kept at every save, compared, previewed and restored as a new version."""

import pytest
from django.urls import reverse

from newsroom import body
from newsroom.models import Story
from newsroom.revisions import versions_of
from newsroom.services.stories import CreditInput, update_story
from newsroom.services.workflow import Action, transition

from . import factories
from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(regions, editor):
    """A submitted story saved three times: the original, a new headline, a new body."""
    person = factories.correspondent("王立新")
    story = factories.story(headline="第一稿标题", paragraphs=("第一稿正文。",), credits=[CreditInput(person)])
    transition(story, Action.SUBMIT, actor=editor)
    story.refresh_from_db()
    update_story(story, actor=editor, headline="第二稿标题")
    update_story(story, actor=editor, body=body.make([("paragraph", "第三稿正文。")]))
    return Story.objects.get(pk=story.pk)


def test_every_save_keeps_a_version(edited):
    versions = list(versions_of(edited))

    assert [version.field_dict["headline"] for version in versions] == ["第二稿标题", "第二稿标题", "第一稿标题"]
    assert versions[0].revision.user.username == "editor"


def test_restore_brings_back_an_older_version_as_a_new_one(client, editor, edited):
    first = list(versions_of(edited))[-1]
    client.force_login(editor)

    response = client.post(reverse("admin:newsroom_story_restore", args=[edited.pk, first.pk]))

    assert response.status_code == 302
    story = Story.objects.get(pk=edited.pk)
    assert (story.headline, story.paragraphs) == ("第一稿标题", ["第一稿正文。"])
    assert [credit.correspondent.name for credit in story.credits.all()] == ["王立新"]
    versions = list(versions_of(story))
    assert len(versions) == 4
    assert versions[0].revision.get_comment().startswith("恢复到")


def test_restoring_does_not_change_the_workflow_state(client, chief, regions):
    story = factories.published_story(headline="旧标题")
    update_story(story, actor=chief, headline="新标题")
    oldest = list(versions_of(story))[-1]
    client.force_login(chief)

    client.post(reverse("admin:newsroom_story_restore", args=[story.pk, oldest.pk]))

    story.refresh_from_db()
    assert (story.headline, story.status) == ("旧标题", "published")


def test_a_contributor_cannot_restore_a_story_in_review(client, contributor, regions):
    story = factories.story(headline="原稿", created_by=contributor)
    update_story(story, actor=contributor, headline="改稿")
    transition(story, Action.SUBMIT, actor=contributor)
    oldest = list(versions_of(story))[-1]
    client.force_login(contributor)

    client.post(reverse("admin:newsroom_story_restore", args=[story.pk, oldest.pk]))

    assert Story.objects.get(pk=story.pk).headline == "改稿"


def test_compare_shows_what_changed_between_two_versions(client, editor, edited):
    newest, _, oldest = versions_of(edited)
    client.force_login(editor)

    response = client.get(reverse("admin:newsroom_story_compare", args=[edited.pk]), {"a": oldest.pk, "b": newest.pk})

    rows = response.context["rows"]
    assert ("changed", "标题：第一稿标题", "标题：第二稿标题") in rows
    assert ("changed", "第一稿正文。", "第三稿正文。") in rows
    assert ("equal", "引题：", "引题：") in rows


def test_preview_of_an_old_version_renders_the_public_page_for_staff_only(client, editor, edited):
    oldest = list(versions_of(edited))[-1]
    url = reverse("admin:newsroom_story_version_preview", args=[edited.pk, oldest.pk])

    anonymous = client.get(url)
    client.force_login(editor)
    page = client.get(url)

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>第一稿标题</h1>" in html
    assert "第一稿正文。" in html
    assert "预览" in html and "仅编辑部可见" in html
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_preview_of_a_draft_is_its_public_page_with_dateline(client, contributor, regions):
    story = factories.story(
        headline="草稿预览",
        created_by=contributor,
        bureau=factories.bureau("zhangye"),
        paragraphs=("11月20日，市政协开会。",),
    )
    client.force_login(contributor)

    html = client.get(reverse("admin:newsroom_story_preview", args=[story.pk])).content.decode()

    assert '<span class="dateline">本报张掖讯</span>11月20日，市政协开会。' in html


def test_nobody_previews_a_story_they_may_not_see(client, contributor, regions):
    other = factories.story(headline="别人的草稿")
    client.force_login(contributor)

    assert client.get(reverse("admin:newsroom_story_preview", args=[other.pk])).status_code == 404


def test_a_concurrent_edit_is_detected_and_neither_text_is_lost(client, editor, chief, edited):
    client.force_login(editor)
    first_page = client.get(reverse("admin:newsroom_story_change", args=[edited.pk]))
    # Meanwhile another editor saves the story.
    update_story(Story.objects.get(pk=edited.pk), actor=chief, headline="另一位编辑的标题")

    response = client.post(
        reverse("admin:newsroom_story_change", args=[edited.pk]),
        change_form_data(first_page, headline="我刚写的标题", body="我刚写的正文。"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "chief" in html and "保存了这篇稿件" in html
    assert 'value="我刚写的标题"' in html
    assert "我刚写的正文。" in html
    assert Story.objects.get(pk=edited.pk).headline == "另一位编辑的标题"


def test_saving_in_the_admin_keeps_a_version_with_its_credits(client, editor, edited):
    client.force_login(editor)
    page = client.get(reverse("admin:newsroom_story_change", args=[edited.pk]))

    client.post(reverse("admin:newsroom_story_change", args=[edited.pk]), change_form_data(page, headline="后台改"))

    newest = versions_of(edited).first()
    assert newest.field_dict["headline"] == "后台改"
    assert newest.revision.user.username == "editor"
    assert [v.object_repr for v in newest.revision.version_set.all() if v.content_type.model == "credit"] == [
        "通讯员 王立新"
    ]


def test_restore_brings_back_photo_captions(client, editor, regions):
    from newsroom.models import Photo

    person = factories.correspondent("鱼晓勇")
    story = factories.photo_story(photographer=person, caption="原来的说明。")
    transition(story, Action.SUBMIT, actor=editor)
    Photo.objects.filter(story=story).update(caption="改过的说明。")
    update_story(Story.objects.get(pk=story.pk), actor=editor, headline="改过的标题")
    oldest = list(versions_of(story))[-1]
    client.force_login(editor)

    client.post(reverse("admin:newsroom_story_restore", args=[story.pk, oldest.pk]))

    assert Photo.objects.get(story=story).caption == "原来的说明。"


def test_compare_shows_a_changed_table_cell_in_its_row(client, editor, regions):
    table = "表：参加视察的委员\n| 姓名 | 界别 |\n|---|---|\n| 马文清 | 经济界 |\n| 杨海燕 | 农业界 |"
    story = factories.story(headline="委员视察", body=body.from_editable(f"视察开始。\n\n{table}"))
    transition(story, Action.SUBMIT, actor=editor)
    story.refresh_from_db()
    update_story(story, actor=editor, body=body.from_editable(f"视察开始。\n\n{table.replace('农业界', '教育界')}"))
    newest, oldest = versions_of(story)[0], versions_of(story)[1]
    client.force_login(editor)

    response = client.get(reverse("admin:newsroom_story_compare", args=[story.pk]), {"a": oldest.pk, "b": newest.pk})

    rows = response.context["rows"]
    assert ("changed", "| 杨海燕 | 农业界 |", "| 杨海燕 | 教育界 |") in rows
    assert ("equal", "| 马文清 | 经济界 |", "| 马文清 | 经济界 |") in rows
    assert ("equal", "表：参加视察的委员", "表：参加视察的委员") in rows
    assert "| 杨海燕 | 教育界 |" in response.content.decode()
