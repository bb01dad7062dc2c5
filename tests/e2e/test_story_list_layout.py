"""The story list at a laptop's width (1366 px): the headline column is read in lines, not in characters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.services import roles
from newsroom.services.regions import load_regions
from newsroom.services.workflow import Action, transition
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
HEADLINES = [
    "深入实施“强工业”行动 推动传统产业“三化”改造",
    "以高水平履职服务高质量发展",
    "为高质量招商引资贡献政协智慧展现政协作为",
]


def test_the_story_list_reads_at_1366_px(open_session, people):
    load_regions()
    chief = people("zongbian", roles.CHIEF_EDITOR)
    issue = factories.issue(number=1190, date=timezone.localdate() + datetime.timedelta(days=1))
    for place, headline in zip(["tianshui", "zhuanglang", "zhangye"], HEADLINES, strict=True):
        story = factories.story(
            headline=headline,
            kicker=f"{factories.region(place).name}政协",
            bureau=factories.bureau(place),
            issue=issue,
            page=2,
        )
        transition(story, Action.SUBMIT, actor=chief)
    factories.published_story(headline="党的领导是政协之魂", issue=issue, page=1, region=factories.region("xihe"))

    session = open_session("story-list", LAPTOP)
    session.login(chief.username)
    session.go(reverse("admin:newsroom_story_changelist"))
    session.shot("1366", full_page=False)
    page = session.page

    headline = page.locator("#result_list th.field-headline").first
    box = headline.bounding_box()
    font_size = float(headline.evaluate("cell => getComputedStyle(cell).fontSize").removesuffix("px"))
    # At least fourteen characters a line: the longest headline in two lines, not twenty.
    assert box["width"] >= 14 * font_size, box
    lines = round(
        box["height"] / float(headline.evaluate("cell => getComputedStyle(cell).lineHeight").removesuffix("px"))
    )
    assert lines <= 3, box
    # Nothing runs past the page's right edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    session.check_accessible("the story list at 1366 px")
