"""A story's zones on its printed page, corrected in the story form: checked, in Chinese, by who may edit the story."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from newsroom.models import Zone
from newsroom.services import pages as page_services
from newsroom.services.workflow import Action, transition

from . import factories
from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(regions, contributor):
    """A story in review, on page 2 of an issue, with one zone read from the page."""
    issue = factories.issue(number=1190)
    story = factories.story(issue=issue, page=2, created_by=contributor, bureau=factories.bureau("zhangye"))
    transition(story, Action.SUBMIT, actor=contributor)
    page = issue.pages.get(number=2)
    Zone.objects.create(story=story, page=page, x=0.05, y=0.1, w=0.6, h=0.2)
    return story


def change_url(story):
    return reverse("admin:newsroom_story_change", args=[story.pk])


def errors_of(response):
    formset = next(
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is Zone
    )
    return [message for form in formset.forms for messages in form.errors.values() for message in messages]


def test_an_editor_corrects_a_zone_in_the_story_form(client, editor, placed):
    client.force_login(editor)
    page = client.get(change_url(placed))
    assert "版面区域" in page.content.decode() and "js/zone-editor.js" in page.content.decode()

    response = client.post(change_url(placed), change_form_data(page, **{"zones-0-x": "0.1", "zones-0-w": "0.55"}))

    assert response.status_code == 302
    zone = placed.zones.get()
    assert (zone.x, zone.y, zone.w, zone.h) == (0.1, 0.1, 0.55, 0.2)


def test_the_zone_editor_gets_the_picture_of_each_printed_page_to_drag_the_zone_on(client, editor, placed):
    import html
    import json
    import re

    from newsroom.models import PageImage

    printed = factories.printed(placed.issue.pages.get(number=2), widths=(600, 1200))
    picture = PageImage.objects.get(page=printed, width=1200, format="jpeg")
    client.force_login(editor)

    page = client.get(change_url(placed)).content.decode()

    select = re.search(r'<select name="zones-0-page"[^>]*>', page).group(0)
    pictures = json.loads(html.unescape(re.search(r'data-page-images="([^"]*)"', select).group(1)))
    assert pictures == {str(printed.pk): picture.url}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"zones-0-x": "1.2"}, "“左”应在 0 到 1 之间（占版面的比例），这里是 1.2。"),
        ({"zones-0-h": "-0.1"}, "“高”应在 0 到 1 之间（占版面的比例），这里是 -0.1。"),
        ({"zones-0-w": "0"}, "“宽”不能为 0：区域要有大小。"),
        ({"zones-0-x": "0.6", "zones-0-w": "0.5"}, "区域超出了版面右边：左 + 宽 不能大于 1。"),
    ],
)
def test_a_zone_off_the_page_is_refused_saying_what_is_wrong(client, editor, placed, changes, message):
    client.force_login(editor)
    page = client.get(change_url(placed))

    response = client.post(change_url(placed), change_form_data(page, **changes))

    assert response.status_code == 200
    assert errors_of(response) == [message]
    zone = placed.zones.get()
    assert (zone.x, zone.w, zone.h) == (0.05, 0.6, 0.2)


def test_a_zone_is_placed_only_on_a_page_of_the_storys_issue(client, editor, placed):
    client.force_login(editor)
    other = factories.issue(number=1191).pages.get(number=2)
    page = client.get(change_url(placed))

    response = client.post(change_url(placed), change_form_data(page, **{"zones-0-page": str(other.pk)}))

    assert response.status_code == 200 and len(errors_of(response)) == 1
    assert placed.zones.get().page.issue.number == 1190


def test_an_author_whose_story_is_in_review_cannot_move_its_zones(client, contributor, placed):
    client.force_login(contributor)
    page = client.get(change_url(placed)).content.decode()

    assert 'name="zones-0-x"' not in page
    with pytest.raises(PermissionDenied):
        page_services.save_zone(placed.zones.get(), actor=contributor)
