"""Text pasted from Word, WPS and web pages becomes the paper's paragraphs (``pasting.clean_pasted``)."""

from newsroom import body, pasting

# Word with hard line breaks every thirty-odd characters, paragraphs indented with full-width spaces.
WORD = (
    "　　11月18日,临夏州政协召开十二届常委会第八次会议,围绕\r\n"
    "“推进农村人居环境整治”开展专题协商。委员们深入积石山、\r\n"
    "东乡等县(市)实地察看,提出意见建议２３条。\r\n"
    "　　会议要求,各级各部门要认真梳理委员意见,确保件件有\r\n"
    "着落、事事有回音。\r\n"
)
# A web page: non-breaking spaces, a zero-width space, spaces around punctuation, a link and Latin text.
WEB = (
    "\u00a0\u00a0甘南州政协委员 走进 合作市社区 ,听取群众对养老服务的意见 。\n"
    "\n"
    "详情见 https://example.org/news?id=12,13 ，时间为10:30 。\u200b\n"
    "\n"
    "The survey covered 1,200 households (2025).\n"
)
# WPS: tabs for indents, full-width Latin and digits, a subhead and a table typed among the text.
WPS = "\t一、总体要求\n\t坚持问题导向：聚焦ＧＤＰ增长。\n## 主要任务\n| 姓名 | 界别 |\n|---|---|\n| 张三 | 经济界 |"


def test_a_word_paste_with_hard_line_breaks_gives_its_two_paragraphs():
    assert pasting.clean_pasted(WORD).split("\n") == [
        "11月18日，临夏州政协召开十二届常委会第八次会议，围绕“推进农村人居环境整治”开展专题协商。"
        "委员们深入积石山、东乡等县（市）实地察看，提出意见建议23条。",
        "会议要求，各级各部门要认真梳理委员意见，确保件件有着落、事事有回音。",
    ]


def test_a_web_paste_loses_its_odd_spaces_and_keeps_numbers_addresses_and_latin_text():
    assert pasting.clean_pasted(WEB).split("\n") == [
        "甘南州政协委员 走进 合作市社区，听取群众对养老服务的意见。",
        "",
        "详情见 https://example.org/news?id=12,13，时间为10:30。",
        "",
        "The survey covered 1,200 households (2025).",
    ]


def test_a_wps_paste_keeps_headings_subheads_and_tables_apart():
    assert pasting.clean_pasted(WPS).split("\n") == [
        "一、总体要求",
        "坚持问题导向：聚焦GDP增长。",
        "## 主要任务",
        "| 姓名 | 界别 |",
        "|---|---|",
        "| 张三 | 经济界 |",
    ]


def test_short_lines_without_sentence_punctuation_stay_headings():
    assert pasting.clean_pasted("一、总体要求\n二、主要任务") == "一、总体要求\n二、主要任务"


def test_a_wrapped_latin_line_is_joined_with_a_space():
    text = "The committee met on Monday to discuss the water plan and\nagreed on three points."

    assert (
        pasting.clean_pasted(text)
        == "The committee met on Monday to discuss the water plan and agreed on three points."
    )


def test_the_editors_own_plain_text_of_a_stored_body_comes_through_unchanged():
    stored = body.from_editable(
        "第一段，说了一件事。\n\n## 小标题\n\n> 引文。\n\n[图1]\n\n表：名单\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |"
    )

    assert body.from_editable(pasting.clean_pasted(body.to_editable(stored))) == stored
