"""Role by role and action by action: who may move a story, through a direct POST to the admin."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Story, Transition
from newsroom.services import roles
from newsroom.services.workflow import transition

from . import factories

pytestmark = pytest.mark.django_db

# The state each action starts from, and the roles allowed to take it.
STARTS = {
    "submit": "draft",
    "send_back": "submitted",
    "approve": "submitted",
    "publish": "approved",
    "schedule": "approved",
    "withdraw": "published",
    "correct": "published",
}
ALLOWED = {
    roles.CONTRIBUTOR: {"submit"},
    roles.EDITOR: {"submit", "send_back", "approve"},
    roles.CHIEF_EDITOR: {"submit", "send_back", "approve", "publish", "schedule", "withdraw", "correct"},
    roles.IMPORTER: set(),
}


def story_in(state, owner):
    desk = factories.staff("matrix-desk", roles.CHIEF_EDITOR)
    story = factories.story(headline=f"{state}稿", created_by=owner)
    steps = {"draft": [], "submitted": ["submit"], "approved": ["submit", "approve"]}
    for action in steps.get(state, ["submit", "approve", "publish"]):
        transition(story, action, actor=desk)
    return Story.objects.get(pk=story.pk)


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(STARTS))
def test_each_role_may_take_exactly_its_actions(client, regions, role, action):
    user = factories.staff(f"user-{action}", role)
    story = story_in(STARTS[action], owner=user)
    before = Transition.objects.filter(story=story).count()
    client.force_login(user)
    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    response = client.post(
        reverse("admin:newsroom_story_transition", args=[story.pk]),
        {"action": action, "comment": "理由", "when": when},
    )

    moved = Transition.objects.filter(story=story).count() > before
    if action in ALLOWED[role]:
        assert moved, f"{role} should be able to {action}"
    else:
        assert not moved, f"{role} must not {action}"
        assert response.status_code in (302, 404)
        assert Story.objects.get(pk=story.pk).status == STARTS[action]
