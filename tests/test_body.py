import pytest
from django.core.exceptions import ValidationError

from newsroom import body

from . import factories


def test_editable_text_round_trips_paragraphs_and_subheads():
    stored = body.make([("paragraph", "第一段。"), ("subhead", "创新工作机制"), ("paragraph", "第二段。")])

    text = body.to_editable(stored)

    assert text == "第一段。\n\n## 创新工作机制\n\n第二段。"
    assert body.from_editable(text) == stored


def test_blank_lines_and_surrounding_spaces_are_dropped():
    assert body.from_editable("  第一段。 \n\n\n第二段。\n") == body.make(
        [("paragraph", "第一段。"), ("paragraph", "第二段。")]
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("text", "列表"),
        ([{"kind": "html", "text": "<b>x</b>"}], "类型“html”无效"),
        ([{"kind": "paragraph", "text": "  "}], "第1块是空的"),
        ([{"kind": "paragraph"}], "kind 和 text"),
    ],
)
def test_a_malformed_body_is_refused_with_the_block_named(value, message):
    with pytest.raises(ValidationError, match=message):
        body.validate(value)


@pytest.mark.django_db
def test_a_story_with_a_malformed_body_is_not_saved(regions):
    from newsroom.models import Story

    with pytest.raises(ValidationError) as error:
        factories.story(body=[{"kind": "script", "text": "x"}])

    assert "body" in error.value.message_dict
    assert Story.objects.count() == 0


@pytest.mark.django_db
def test_a_page_without_an_issue_is_refused(regions):
    with pytest.raises(ValidationError) as error:
        factories.story(page=2)

    assert "page" in error.value.message_dict
