"""E-mail to a story's author when it is sent back or published (newsroom/notifications.py)."""

import datetime
import logging

import pytest

from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HEADLINE = "市政协召开常委会议"


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """One workflow step, committed: the mail goes out once the step is, as in the product."""

    def take(story, action, actor, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return transition(story, action, actor=actor, **options)

    return take


@pytest.fixture
def author(contributor):
    contributor.email = "author@example.cn"
    contributor.save()
    return contributor


@pytest.fixture
def desk(editor, chief):
    """An editor and a chief editor who have addresses of their own: they must not get the author's mail."""
    editor.email, chief.email = "editor@example.cn", "chief@example.cn"
    editor.save()
    chief.save()
    return editor, chief


@pytest.fixture
def submitted(author, step):
    story = factories.story(headline=HEADLINE, created_by=author)
    step(story, Action.SUBMIT, author)
    return story


def test_a_story_sent_back_mails_its_author_the_editors_comment(submitted, desk, step, mailoutbox, settings):
    editor, _ = desk

    step(submitted, Action.SEND_BACK, editor, comment="请补充会议时间和地点。")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["author@example.cn"]
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert mail.subject == "稿件被退回修改：市政协召开常委会议"
    assert mail.body.splitlines() == [
        "您的稿件“市政协召开常委会议”：",
        "已被编辑退回修改。",
        "",
        "修改意见：请补充会议时间和地点。",
        "",
        "操作人：editor",
    ]


def test_a_published_story_mails_its_author_the_time_in_lanzhou(submitted, desk, step, mailoutbox):
    editor, chief = desk
    step(submitted, Action.APPROVE, editor)

    # 16:30 UTC is half past midnight the next day in Lanzhou.
    step(submitted, Action.PUBLISH, chief, when=datetime.datetime(2026, 11, 24, 16, 30, tzinfo=UTC))

    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["author@example.cn"], "稿件已发布：市政协召开常委会议")
    ]
    assert mailoutbox[0].body == "您的稿件“市政协召开常委会议”：\n已于 2026-11-25 00:30 发布。\n\n操作人：chief"


def test_a_scheduled_story_mails_its_author_when_it_will_appear(submitted, desk, step, mailoutbox):
    editor, chief = desk
    step(submitted, Action.APPROVE, editor)

    step(submitted, Action.SCHEDULE, chief, when=datetime.datetime(2030, 12, 31, 16, 5, tzinfo=UTC))

    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["author@example.cn"], "稿件已定时发布：市政协召开常委会议")
    ]
    assert mailoutbox[0].body == "您的稿件“市政协召开常委会议”：\n将于 2031-01-01 00:05 发布。\n\n操作人：chief"


def test_submitting_approving_correcting_and_withdrawing_mail_nobody(submitted, desk, step, mailoutbox):
    editor, chief = desk
    assert mailoutbox == []  # submitted

    step(submitted, Action.APPROVE, editor)
    assert mailoutbox == []

    step(submitted, Action.PUBLISH, chief)
    step(submitted, Action.CORRECT, chief, comment="更正：会议日期应为11月18日。")
    step(submitted, Action.WITHDRAW, chief, comment="应作者要求撤稿。")

    assert [mail.subject for mail in mailoutbox] == ["稿件已发布：市政协召开常委会议"]


def test_the_mail_names_the_editor_as_a_chinese_name_is_written(submitted, desk, step, mailoutbox):
    editor, _ = desk
    editor.last_name, editor.first_name = "王", "立新"  # 姓, 名
    editor.save()

    step(submitted, Action.SEND_BACK, editor, comment="请核实数字。")

    assert mailoutbox[0].body.endswith("\n\n操作人：王立新")


def test_each_send_back_mails_its_own_comment(submitted, desk, step, author, mailoutbox):
    editor, _ = desk
    step(submitted, Action.SEND_BACK, editor, comment="请补充会议时间。")
    step(submitted, Action.SUBMIT, author)

    step(submitted, Action.SEND_BACK, editor, comment="导语过长，请压缩到一百字以内。")

    assert [line for mail in mailoutbox for line in mail.body.splitlines() if line.startswith("修改意见")] == [
        "修改意见：请补充会议时间。",
        "修改意见：导语过长，请压缩到一百字以内。",
    ]


def test_a_headline_is_mailed_as_written_not_as_html(author, desk, step, mailoutbox):
    editor, _ = desk
    story = factories.story(headline="“<委员之家>”建设 & 履职", created_by=author)
    step(story, Action.SUBMIT, author)

    step(story, Action.SEND_BACK, editor, comment="标题请改用书名号。")

    assert mailoutbox[0].subject == "稿件被退回修改：“<委员之家>”建设 & 履职"
    assert mailoutbox[0].body.startswith("您的稿件““<委员之家>”建设 & 履职”：\n")


def test_a_headline_on_two_lines_still_reaches_its_author_on_one(author, desk, step, mailoutbox):
    # A headline can come in from a spreadsheet cell with a line break in it.
    editor, _ = desk
    story = factories.story(headline="守护一江清水\n建设美丽甘肃", created_by=author)
    step(story, Action.SUBMIT, author)

    step(story, Action.SEND_BACK, editor, comment="请补充数据。")

    assert [mail.subject for mail in mailoutbox] == ["稿件被退回修改：守护一江清水 建设美丽甘肃"]


# Who gets the mail


def test_an_author_without_an_address_gets_no_mail_and_the_story_still_goes_back(contributor, desk, step, mailoutbox):
    editor, _ = desk
    story = factories.story(headline=HEADLINE, created_by=contributor)
    step(story, Action.SUBMIT, contributor)

    step(story, Action.SEND_BACK, editor, comment="请补充会议时间。")

    assert mailoutbox == []
    story.refresh_from_db()
    assert story.status == "draft"


def test_an_author_whose_login_has_no_address_is_mailed_at_their_correspondent_record(
    contributor, desk, step, mailoutbox
):
    editor, _ = desk
    factories.correspondent("王立新", email="wanglixin@example.cn", user=contributor)
    story = factories.story(headline=HEADLINE, created_by=contributor)
    step(story, Action.SUBMIT, contributor)

    step(story, Action.SEND_BACK, editor, comment="请补充会议时间。")

    assert [mail.to for mail in mailoutbox] == [["wanglixin@example.cn"]]


def test_the_login_address_comes_before_the_correspondent_records(author, desk, step, mailoutbox):
    editor, _ = desk
    factories.correspondent("王立新", email="old-address@example.cn", user=author)
    story = factories.story(headline=HEADLINE, created_by=author)
    step(story, Action.SUBMIT, author)

    step(story, Action.SEND_BACK, editor, comment="请补充会议时间。")

    assert [mail.to for mail in mailoutbox] == [["author@example.cn"]]


def test_a_story_with_no_author_login_mails_the_first_credited_person_who_has_an_address(desk, step, mailoutbox):
    editor, chief = desk
    credits = [
        CreditInput(factories.correspondent("周文华")),  # no address
        CreditInput(factories.correspondent("鱼勇", email="yuyong@example.cn")),
        CreditInput(factories.correspondent("李岩", email="liyan@example.cn")),
    ]
    # Brought in by an import: no login wrote it.
    story = factories.story(headline=HEADLINE, credits=credits)
    step(story, Action.SUBMIT, editor)
    step(story, Action.APPROVE, editor)

    step(story, Action.PUBLISH, chief)

    assert [mail.to for mail in mailoutbox] == [["yuyong@example.cn"]]


def test_a_story_with_nobody_to_mail_sends_nothing(desk, step, mailoutbox):
    editor, _ = desk
    story = factories.story(headline=HEADLINE, credits=[CreditInput(factories.correspondent("周文华"))])
    step(story, Action.SUBMIT, editor)

    step(story, Action.SEND_BACK, editor, comment="请补充署名者的联系方式。")

    assert mailoutbox == []


def test_a_mail_server_that_is_down_is_logged_with_the_address_and_the_step_stands(
    submitted, desk, step, mailoutbox, monkeypatch, caplog
):
    editor, _ = desk

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("newsroom.notifications.send_mail", refuse)

    with caplog.at_level(logging.ERROR, logger="newsroom.notifications"):
        step(submitted, Action.SEND_BACK, editor, comment="请补充会议时间。")

    assert mailoutbox == []
    [record] = caplog.records
    assert "author@example.cn" in record.getMessage()
    assert "稿件被退回修改：市政协召开常委会议" in record.getMessage()
    submitted.refresh_from_db()
    assert submitted.status == "draft"
