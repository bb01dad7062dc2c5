import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

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


# The blocks besides paragraphs and subheads, typed as plain text.

MIXED = """　第一段。

## 小标题

> 引文一句。

[图 2]

表：委员名单
| 姓名 | 界别 |
|---|---|
| 张三 | 经济界 |
| 李四 |"""


def test_every_kind_of_block_is_read_from_the_plain_text_in_its_place():
    assert body.from_editable(MIXED) == [
        {"kind": "paragraph", "text": "第一段。"},
        {"kind": "subhead", "text": "小标题"},
        {"kind": "quote", "text": "引文一句。"},
        {"kind": "photo", "photo": 2},
        {
            "kind": "table",
            "rows": [["姓名", "界别"], ["张三", "经济界"], ["李四", ""]],
            "header": True,
            "caption": "委员名单",
        },
    ]


def test_a_table_without_a_rule_has_no_header_and_a_caption_needs_the_table_right_under_it():
    stored = body.from_editable("表：不是表题\n\n| 甲 | 乙 |\n| 丙 | 丁 |")

    assert stored == [
        {"kind": "paragraph", "text": "表：不是表题"},
        {"kind": "table", "rows": [["甲", "乙"], ["丙", "丁"]], "header": False, "caption": ""},
    ]


def test_marks_inside_text_and_cells_are_written_so_they_read_back_as_text():
    stored = body.make(
        [
            ("paragraph", "## 这是正文，不是小标题"),
            ("paragraph", "[图2]"),
            ("paragraph", "\\反斜线开头"),
            ("table", {"rows": [["a|b", "c\\d"], ["-", "-"]], "header": False, "caption": ""}),
        ]
    )

    text = body.to_editable(stored)

    assert text.startswith("\\## 这是正文")
    assert "| a\\|b | c\\\\d |" in text
    assert body.from_editable(text) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([{"kind": "photo", "photo": 0}], "正文第1块（图片）的编号应是 1 到 999 的整数"),
        ([{"kind": "photo", "photo": "2"}], "正文第1块（图片）的编号"),
        (
            [
                {"kind": "paragraph", "text": "甲"},
                {"kind": "table", "rows": [["a", "b"], ["c"]], "header": False, "caption": ""},
            ],
            "正文第2块（表格）第2行有1格，第1行有2格",
        ),
        ([{"kind": "table", "rows": [["", ""]], "header": False, "caption": ""}], "每一格都是空的"),
        ([{"kind": "table", "rows": [["姓名"]], "header": True, "caption": ""}], "只有表头"),
        ([{"kind": "table", "rows": [["a"]], "header": False}], "kind、rows、header 和 caption"),
        ([{"kind": "quote", "text": "一行\n两行"}], "正文第1块里有换行"),
        ([{"kind": "table", "rows": [["<script>"]], "header": "yes", "caption": ""}], "header 应为 true 或 false"),
    ],
)
def test_malformed_new_blocks_are_refused_with_the_block_named(value, message):
    with pytest.raises(ValidationError, match=message):
        body.validate(value)


def test_search_text_holds_quotes_captions_and_cells_but_not_photo_marks():
    stored = body.from_editable(MIXED)

    assert body.plain_text(stored).split("\n") == [
        "第一段。",
        "小标题",
        "引文一句。",
        "委员名单",
        "姓名 界别",
        "张三 经济界",
        "李四",
    ]


def test_the_count_is_of_what_a_reader_reads_han_apart_and_spaces_left_out():
    stored = body.make([("paragraph", "政协 委员 2026年。"), ("table", {"rows": [["A组", "5人"]]})])

    assert body.character_count(stored) == (7, 7)


def test_the_first_and_last_paragraph_are_found_past_other_blocks():
    blocks = body.blocks(body.from_editable("[图1]\n\n甲。\n\n## 乙\n\n丙。\n\n| x |"))

    assert body.paragraph_ends(blocks) == (1, 3)


# Any body the editor can hold comes back from its plain text exactly.

TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
        | st.sampled_from("#>|\\[]图表：- "),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
CELL = st.one_of(st.just(""), st.just("-"), TEXT)


@st.composite
def tables(draw):
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=4))
    if not any(cell for row in rows for cell in row):
        rows[0][0] = "甲"
    header = len(rows) > 1 and draw(st.booleans())
    return {"kind": "table", "rows": rows, "header": header, "caption": draw(st.one_of(st.just(""), TEXT))}


BLOCK = st.one_of(
    st.builds(lambda kind, text: {"kind": kind, "text": text}, st.sampled_from(body.TEXT_KINDS), TEXT),
    st.builds(lambda number: {"kind": "photo", "photo": number}, st.integers(1, 999)),
    tables(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, max_size=8))
def test_any_valid_body_round_trips_through_its_plain_text(blocks):
    body.validate(blocks)

    assert body.from_editable(body.to_editable(blocks)) == blocks
