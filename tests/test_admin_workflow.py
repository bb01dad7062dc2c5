"""The desk, role by role: what each may do in the admin, and that the server refuses the rest."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Story, Transition
from newsroom.services.workflow import Action, transition

from . import factories
from .admin_forms import change_form_data
from .pages import texts

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:newsroom_story_change", args=[story.pk])


def transition_url(story):
    return reverse("admin:newsroom_story_transition", args=[story.pk])


def status_of(story):
    return Story.objects.get(pk=story.pk).status


@pytest.fixture
def own_draft(regions, contributor):
    return factories.story(headline="通讯员自己的稿", created_by=contributor)


@pytest.fixture
def submitted(own_draft, contributor):
    transition(own_draft, Action.SUBMIT, actor=contributor)
    return own_draft


@pytest.fixture
def approved(submitted, editor):
    transition(submitted, Action.APPROVE, actor=editor)
    return submitted


def post_action(client, story, action, **data):
    return client.post(transition_url(story), {"action": action, **data})


# Contributors


def test_a_contributor_sees_only_their_own_stories(client, contributor, own_draft, regions):
    factories.story(headline="别人的稿件")
    client.force_login(contributor)

    page = client.get(reverse("admin:newsroom_story_changelist")).content.decode()

    assert "通讯员自己的稿" in page
    assert "别人的稿件" not in page


def test_a_contributor_cannot_open_someone_elses_story(client, contributor, regions):
    other = factories.story(headline="别人的稿件")
    client.force_login(contributor)

    assert client.get(change_url(other)).status_code in (302, 403, 404)
    assert post_action(client, other, "submit").status_code == 404
    assert status_of(other) == "draft"


def test_a_contributor_writes_a_story_with_a_subhead_and_it_is_theirs(client, contributor, regions):
    client.force_login(contributor)

    response = client.post(
        reverse("admin:newsroom_story_add"),
        {
            "kind": "article",
            "headline": "县政协开展调研",
            "body": "11月20日，县政协开展调研。\n\n## 调研发现\n\n调研组提出了建议。",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get(headline="县政协开展调研")
    assert story.created_by == contributor
    assert story.status == "draft"
    assert story.subheads == ["调研发现"]
    assert story.paragraphs == ["11月20日，县政协开展调研。", "调研组提出了建议。"]


def test_a_contributor_submits_their_draft_with_the_button(client, contributor, own_draft):
    client.force_login(contributor)

    page = client.get(change_url(own_draft)).content.decode()
    response = post_action(client, own_draft, "submit")

    assert 'value="提交送审"' in page
    assert response.status_code == 302
    assert status_of(own_draft) == "submitted"


@pytest.mark.parametrize("action", ["approve", "publish", "send_back", "withdraw", "correct"])
def test_a_contributor_posting_an_editors_action_is_refused(client, contributor, submitted, action):
    client.force_login(contributor)

    response = post_action(client, submitted, action, comment="伪造的请求")

    assert response.status_code == 302
    assert status_of(submitted) == "submitted"
    assert Transition.objects.filter(story=submitted).count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("不能" in message for message in messages)


def test_a_contributor_cannot_edit_a_submitted_story(client, contributor, submitted):
    client.force_login(contributor)

    page = client.get(change_url(submitted)).content.decode()

    assert 'name="headline"' not in page  # shown read-only
    assert "通讯员自己的稿" in page


def test_a_contributor_cannot_place_a_story_on_a_page(client, contributor, own_draft):
    client.force_login(contributor)

    page = client.get(change_url(own_draft)).content.decode()

    assert 'name="headline"' in page
    assert 'name="issue"' not in page
    assert 'name="page"' not in page


# Editors


def test_an_editor_does_not_see_other_peoples_drafts(client, editor, own_draft, submitted):
    client.force_login(editor)
    factories.story(headline="另一篇草稿", created_by=factories.staff("someone", "通讯员/记者"))

    page = client.get(reverse("admin:newsroom_story_changelist")).content.decode()

    assert "另一篇草稿" not in page
    assert "通讯员自己的稿" in page  # submitted


def test_an_editor_sends_back_with_a_comment_and_the_author_is_told(
    client, editor, submitted, contributor, django_capture_on_commit_callbacks
):
    contributor.email = "author@example.cn"
    contributor.save()
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        with_comment = post_action(client, submitted, "send_back", comment="请补充会议时间和地点。")

    assert with_comment.status_code == 302
    assert status_of(submitted) == "draft"
    step = Transition.objects.filter(story=submitted).last()
    assert (step.actor, step.comment) == (editor, "请补充会议时间和地点。")
    assert [message.to for message in mail.outbox] == [["author@example.cn"]]
    assert "请补充会议时间和地点。" in mail.outbox[0].body


def test_sending_back_without_a_comment_is_refused(client, editor, submitted):
    client.force_login(editor)

    post_action(client, submitted, "send_back", comment="")

    assert status_of(submitted) == "submitted"


def test_an_editor_approves_but_cannot_publish(client, editor, submitted):
    client.force_login(editor)

    post_action(client, submitted, "approve")
    post_action(client, submitted, "publish")

    assert status_of(submitted) == "approved"


def test_an_editor_edits_a_submitted_story_and_places_it(client, editor, submitted, regions):
    issue = factories.issue(number=1190)
    client.force_login(editor)
    page = client.get(change_url(submitted))

    response = client.post(
        change_url(submitted), change_form_data(page, headline="改过的标题", issue=issue.pk, page=2, position=1)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get(pk=submitted.pk)
    assert (story.headline, story.issue, story.page) == ("改过的标题", issue, 2)


# Chief editors


def test_a_chief_editor_publishes_and_the_author_is_told(
    client, chief, approved, contributor, django_capture_on_commit_callbacks
):
    contributor.email = "author@example.cn"
    contributor.save()
    client.force_login(chief)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, approved, "publish")

    assert Story.objects.published().filter(pk=approved.pk).exists()
    assert mail.outbox[-1].subject == "稿件已发布：通讯员自己的稿"


def test_a_chief_editor_schedules_and_the_story_appears_at_its_time_not_before(client, chief, approved):
    client.force_login(chief)
    when = timezone.localtime() + datetime.timedelta(hours=3)

    post_action(client, approved, "schedule", when=when.strftime("%Y-%m-%d %H:%M"))

    story = Story.objects.get(pk=approved.pk)
    assert story.status == "published"
    assert client.get(story.get_absolute_url()).status_code == 404
    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(story.get_absolute_url()).status_code == 200


def test_scheduling_without_a_time_is_refused_with_a_message(client, chief, approved):
    client.force_login(chief)

    response = post_action(client, approved, "schedule", when="明天")

    assert status_of(approved) == "approved"
    assert any("定时发布的日期和时间" in str(m) for m in response.wsgi_request._messages)


def test_a_chief_editor_takes_a_story_down_with_a_reason_and_it_leaves_every_public_page(client, chief, approved):
    client.force_login(chief)
    post_action(client, approved, "publish")
    story = Story.objects.get(pk=approved.pk)
    public = ["/", "/articles/", "/feeds/latest/", "/sitemap-stories.xml", "/issues/"]
    client.logout()
    assert story.headline in client.get("/articles/").content.decode()

    client.force_login(chief)
    post_action(client, story, "withdraw", comment="")
    assert status_of(story) == "published"
    post_action(client, story, "withdraw", comment="与事实不符")
    client.logout()

    assert status_of(story) == "withdrawn"
    for url in public:
        assert story.headline not in client.get(url).content.decode(), url
    assert client.get(story.get_absolute_url()).status_code == 410


def test_a_chief_editor_corrects_a_published_story_with_a_dated_note(client, chief, approved):
    client.force_login(chief)
    post_action(client, approved, "publish")

    post_action(client, approved, "correct", comment="原文中“十五次”应为“十六次”。")
    client.logout()

    page = client.get(Story.objects.get(pk=approved.pk).get_absolute_url()).content.decode()
    assert "原文中“十五次”应为“十六次”。" in page
    assert timezone.localdate().strftime("%Y年%-m月%-d日") in page


def test_every_transition_is_listed_on_the_story_and_cannot_be_edited(client, chief, approved):
    client.force_login(chief)
    post_action(client, approved, "publish")

    page = client.get(change_url(approved)).content.decode()

    assert "流程记录（不可修改）" in page
    for label in ["提交送审", "审核通过", "签发"]:
        assert label in page
    assert client.get("/admin/newsroom/transition/").status_code == 404


def test_bulk_actions_obey_the_same_rules(client, editor, chief, regions):
    stories = [factories.story(headline=f"批量{n}") for n in range(3)]
    for story in stories:
        transition(story, Action.SUBMIT, actor=editor)
    changelist = reverse("admin:newsroom_story_changelist")
    selected = [str(story.pk) for story in stories]

    client.force_login(editor)
    client.post(changelist, {"action": "bulk_publish", "_selected_action": selected})
    assert {status_of(story) for story in stories} == {"submitted"}
    client.post(changelist, {"action": "bulk_approve", "_selected_action": selected})
    assert {status_of(story) for story in stories} == {"approved"}

    client.force_login(chief)
    client.post(changelist, {"action": "bulk_publish", "_selected_action": selected})
    assert {status_of(story) for story in stories} == {"published"}


def test_a_get_cannot_move_a_story(client, chief, approved):
    client.force_login(chief)

    assert client.get(transition_url(approved) + "?action=publish").status_code == 405
    assert status_of(approved) == "approved"


def test_a_post_without_csrf_token_is_refused(chief, approved):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)

    assert post_action(client, approved, "publish").status_code == 403
    assert status_of(approved) == "approved"


def test_anonymous_visitors_are_sent_to_the_login(client, approved):
    response = post_action(client, approved, "publish")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert status_of(approved) == "approved"


def test_a_mail_server_that_is_down_does_not_undo_or_break_a_publish(
    client, chief, approved, contributor, django_capture_on_commit_callbacks, monkeypatch
):
    contributor.email = "author@example.cn"
    contributor.save()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("newsroom.notifications.send_mail", refuse)
    client.force_login(chief)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(client, approved, "publish")

    assert response.status_code == 302
    assert status_of(approved) == "published"


# After a step, in the form and on the readers' side


def test_an_editor_who_sends_a_story_back_lands_on_the_desk_with_a_message(client, editor, submitted):
    client.force_login(editor)

    page = client.post(transition_url(submitted), {"action": "send_back", "comment": "请补充会议时间。"}, follow=True)

    assert page.redirect_chain == [(reverse("admin:index"), 302)]
    assert texts(page, "ul.messagelist li") == ["已退回修改：通讯员自己的稿"]
    assert "不存在" not in " ".join(texts(page, "body"))


def test_an_editor_who_approves_stays_on_the_story(client, editor, submitted):
    client.force_login(editor)

    page = client.post(transition_url(submitted), {"action": "approve"}, follow=True)

    assert page.redirect_chain == [(change_url(submitted), 302)]
    assert texts(page, "ul.messagelist li") == ["已审核通过：通讯员自己的稿"]


def view_on_site(page):
    """The address of the form's one "在站点上查看" link."""
    assert texts(page, "a.viewsitelink") == ["在站点上查看"]
    return page.content.decode().split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]


def test_view_on_site_opens_the_preview_of_a_story_readers_cannot_see(client, editor, submitted):
    client.force_login(editor)

    link = view_on_site(client.get(change_url(submitted)))

    assert link == reverse("admin:newsroom_story_preview", args=[submitted.pk])
    preview = client.get(link)
    assert preview.status_code == 200 and texts(preview, "h1") == ["通讯员自己的稿"]
    assert client.get(submitted.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(link).status_code == 302  # to the login: the preview is staff's alone


def test_view_on_site_opens_the_readers_page_of_a_public_story(client, chief, approved):
    client.force_login(chief)
    post_action(client, approved, "publish")

    link = view_on_site(client.get(change_url(approved)))

    assert link == approved.get_absolute_url()
    client.logout()
    assert texts(client.get(link), "h1") == ["通讯员自己的稿"]


def test_a_contributor_reads_the_workflow_record_of_their_own_story(client, contributor, editor, submitted):
    transition(submitted, Action.SEND_BACK, actor=editor, comment="请补充会议时间。")
    client.force_login(contributor)

    page = client.get(change_url(submitted))

    assert "流程记录（不可修改）" in texts(page, "h2")
    rows = [row.split("：", 1)[1] for row in texts(page, "td.original p")]
    assert rows == ["草稿 → 待审", "待审 → 草稿"]
    assert texts(page, "td.field-action_label") == ["提交送审", "退回修改"]
    assert texts(page, "td.field-comment") == ["-", "请补充会议时间。"]
    assert 'name="transitions-0-comment"' not in page.content.decode()  # read, not changed
