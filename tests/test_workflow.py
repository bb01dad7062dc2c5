import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from newsroom.models import Story, Transition
from newsroom.services.workflow import Action, allowed_actions, transition

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(regions, contributor):
    return factories.story(headline="通讯员的稿件", created_by=contributor)


def status_of(story):
    return Story.objects.get(pk=story.pk).status


def test_a_story_goes_from_draft_to_published_and_every_step_is_recorded(draft, contributor, editor, chief):
    transition(draft, Action.SUBMIT, actor=contributor)
    transition(draft, Action.APPROVE, actor=editor)
    transition(draft, Action.PUBLISH, actor=chief)

    steps = list(Transition.objects.filter(story=draft).values_list("actor__username", "from_status", "to_status"))
    assert steps == [
        ("contributor", "draft", "submitted"),
        ("editor", "submitted", "approved"),
        ("chief", "approved", "published"),
    ]
    assert Story.objects.published().filter(pk=draft.pk).exists()


def test_sending_back_returns_a_draft_with_the_editors_comment(draft, contributor, editor):
    transition(draft, Action.SUBMIT, actor=contributor)

    step = transition(draft, Action.SEND_BACK, actor=editor, comment="请补充会议时间。")

    assert status_of(draft) == "draft"
    assert step.comment == "请补充会议时间。"


def test_sending_back_needs_a_comment(draft, contributor, editor):
    transition(draft, Action.SUBMIT, actor=contributor)

    with pytest.raises(ValidationError, match="修改意见"):
        transition(draft, Action.SEND_BACK, actor=editor, comment="  ")
    assert status_of(draft) == "submitted"


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_a_chief_editor_may_publish(draft, contributor, editor, role, request):
    transition(draft, Action.SUBMIT, actor=contributor)
    transition(draft, Action.APPROVE, actor=editor)

    with pytest.raises(PermissionDenied):
        transition(draft, Action.PUBLISH, actor=request.getfixturevalue(role))
    assert status_of(draft) == "approved"
    assert Transition.objects.filter(story=draft).count() == 2


def test_a_contributor_cannot_submit_someone_elses_story(regions, contributor):
    other = factories.story(headline="别人的稿件")

    with pytest.raises(PermissionDenied):
        transition(other, Action.SUBMIT, actor=contributor)


def test_a_step_from_the_wrong_state_is_refused(draft, chief):
    with pytest.raises(ValidationError, match="草稿"):
        transition(draft, Action.PUBLISH, actor=chief)


def test_scheduling_needs_a_future_time(draft, contributor, editor, chief):
    transition(draft, Action.SUBMIT, actor=contributor)
    transition(draft, Action.APPROVE, actor=editor)

    with pytest.raises(ValidationError, match="晚于现在"):
        transition(draft, Action.SCHEDULE, actor=chief, when=timezone.now() - datetime.timedelta(minutes=1))

    later = timezone.now() + datetime.timedelta(hours=2)
    transition(draft, Action.SCHEDULE, actor=chief, when=later)
    assert Story.objects.get(pk=draft.pk).published_at == later
    assert not Story.objects.published().filter(pk=draft.pk).exists()


def test_allowed_actions_follow_role_and_state(draft, contributor, editor, chief):
    assert allowed_actions(draft, contributor) == [Action.SUBMIT]
    transition(draft, Action.SUBMIT, actor=contributor)
    draft.refresh_from_db()
    assert allowed_actions(draft, contributor) == []
    assert allowed_actions(draft, editor) == [Action.SEND_BACK, Action.APPROVE]
    transition(draft, Action.APPROVE, actor=editor)
    draft.refresh_from_db()
    assert allowed_actions(draft, chief) == [Action.SEND_BACK, Action.PUBLISH, Action.SCHEDULE]
