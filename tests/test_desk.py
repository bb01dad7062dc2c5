"""The admin's start page: review queue, counts per state, the next issue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Story
from newsroom.services.workflow import Action, transition

from . import factories
from .pages import texts

pytestmark = pytest.mark.django_db


def test_editor_sees_submitted_stories_by_bureau_oldest_first(client, editor, regions):
    for headline, bureau in [("张掖一", "zhangye"), ("天水一", "tianshui"), ("张掖二", "zhangye")]:
        story = factories.story(headline=headline, bureau=factories.bureau(bureau))
        transition(story, Action.SUBMIT, actor=editor)
    factories.story(headline="还是草稿", bureau=factories.bureau("zhangye"))
    client.force_login(editor)

    response = client.get(reverse("admin:index"))
    html = response.content.decode()

    queue = [
        (bureau.place, [story.headline for story in stories]) for bureau, stories in response.context["review_queue"]
    ]
    assert queue == [("张掖", ["张掖一", "张掖二"]), ("天水", ["天水一"])]
    assert "本报张掖讯（2）" in html and "本报天水讯（1）" in html
    assert "还是草稿" not in html


def test_counts_per_state_include_scheduled(client, chief, regions):
    factories.published_story()
    factories.published_story(published_at=timezone.now() + datetime.timedelta(days=1))
    factories.story()
    client.force_login(chief)

    counts = {label: count for label, count, _ in client.get(reverse("admin:index")).context["state_counts"]}

    assert counts["已发布"] == 1
    assert counts["已排期"] == 1


def test_chief_editor_sees_approved_and_scheduled_stories_of_the_next_issue(client, chief, editor, regions):
    next_issue = factories.issue(number=1190, date=timezone.localdate() + datetime.timedelta(days=2))
    approved = factories.story(headline="待签发", issue=next_issue, page=1)
    transition(approved, Action.SUBMIT, actor=editor)
    transition(approved, Action.APPROVE, actor=editor)
    factories.published_story(
        headline="已排期", issue=next_issue, page=2, published_at=timezone.now() + datetime.timedelta(days=2)
    )
    factories.story(headline="下期草稿", issue=next_issue, page=3)
    client.force_login(chief)

    response = client.get(reverse("admin:index"))

    assert response.context["next_issue"] == next_issue
    assert [story.headline for story in response.context["ready_to_publish"]] == ["待签发", "已排期"]
    section = response.content.decode().split('aria-labelledby="desk-next"')[1]
    when = timezone.localtime(Story.objects.get(headline="已排期").published_at)
    assert "<td>已通过</td>" in section
    assert f"<td>已排期（{when:%m-%d %H:%M}）</td>" in section


def test_a_contributor_sees_their_drafts_with_the_editors_last_comment(client, contributor, editor, regions):
    story = factories.story(headline="我的稿", created_by=contributor)
    transition(story, Action.SUBMIT, actor=contributor)
    transition(story, Action.SEND_BACK, actor=editor, comment="标题再短一些。")
    client.force_login(contributor)

    response = client.get(reverse("admin:index"))
    html = response.content.decode()

    assert "review_queue" not in response.context
    assert "我的稿" in html and "退回：标题再短一些。" in html


def test_the_change_list_filters_by_state_region_and_searches_bodies(client, chief, regions):
    factories.published_story(headline="民乐稿", region=factories.region("minle"), paragraphs=("制种基地。",))
    factories.published_story(headline="天水稿", region=factories.region("tianshui"))
    factories.story(headline="张掖草稿", region=factories.region("zhangye"))
    changelist = reverse("admin:newsroom_story_changelist")
    client.force_login(chief)

    def listed(query):
        return {story.headline for story in client.get(changelist, query).context["cl"].result_list}

    assert listed({"region": "zhangye"}) == {"民乐稿", "张掖草稿"}
    assert listed({"state": "published"}) == {"民乐稿", "天水稿"}
    assert listed({"q": "制种"}) == {"民乐稿"}
    assert Story.objects.count() == 3


def test_imported_stories_wait_in_the_queue_since_their_import(client, editor, regions):
    from newsroom.services.imports import Upload, import_bulletin

    from .imports.pages import PAGE_ONE

    import_bulletin([Upload("page-1.txt", PAGE_ONE.encode())], issue_number=1190, issue_date=timezone.localdate())
    client.force_login(editor)

    queue = client.get(reverse("admin:index")).context["review_queue"]

    assert all(story.submitted_at is not None for _, stories in queue for story in stories)
    assert sum(len(stories) for _, stories in queue) == 2


def test_the_next_issue_is_never_one_already_out(client, chief, regions):
    today = timezone.localdate()
    factories.issue(number=1188, date=today - datetime.timedelta(days=3))
    client.force_login(chief)

    page = client.get(reverse("admin:index"))

    assert texts(page, "h2#desk-next") == ["下一期"]
    assert "还没有下一期：今天及以后出版的一期尚未建立。新建一期" in texts(page, "section.module p")
    assert "1188" not in " ".join(texts(page, "section.module"))

    factories.issue(number=1190, date=today + datetime.timedelta(days=4))
    factories.issue(number=1189, date=today)

    page = client.get(reverse("admin:index"))

    assert texts(page, "h2#desk-next") == [f"下一期 第1189期（{today:%Y年%-m月%-d日}）：已通过和已排期的稿件"]


def test_the_desk_links_the_correspondents_records_for_those_who_may_read_them(client, editor, contributor):
    client.force_login(editor)

    desk = client.get(reverse("admin:index"))
    records = reverse("admin:newsroom_correspondent_records")

    assert texts(desk, "h2#desk-records") == ["统计"]
    assert f'<a href="{records}">通讯员发稿统计</a>' in desk.content.decode()
    assert texts(client.get(records), "h1") == ["通讯员发稿统计"]

    client.force_login(contributor)

    assert "通讯员发稿统计" not in " ".join(texts(client.get(reverse("admin:index")), "body"))
