import json
from pathlib import Path

import pytest

from newsroom.bulletin.pagetext import Credit, main, page_number, parse_page
from newsroom.bulletin.textfile import decode_text

PAGES = Path(__file__).parent / "pages"
PAGE_FILES = sorted(PAGES.glob("*.txt"))


def read(*chunks: str):
    """Parse a page whose chunks are separated by blank lines, as the layout program prints them."""
    return parse_page("\n\n".join(chunks), source="test-page")


def only_story(*chunks: str):
    reading = read(*chunks)
    assert len(reading.items) == 1, [item.headline for item in reading.items]
    return reading.items[0]


def credits(story):
    return [(credit.name, credit.title, credit.contribution) for credit in story.credits]


# --- Whole pages, read as a person reads them ------------------------------------------


@pytest.mark.parametrize("path", PAGE_FILES, ids=[path.stem for path in PAGE_FILES])
def test_page_reads_as_a_person_reads_it(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))

    reading = parse_page(decode_text(path.read_bytes(), source=path.name), source=path.name)

    items = [item.as_dict() for item in reading.items]
    assert [item["headline"] for item in items] == [story["headline"] for story in expected]
    for item, story in zip(items, expected, strict=True):
        assert {key: item[key] for key in story} == story
    assert reading.errors == []


def test_there_are_at_least_five_test_pages():
    assert len(PAGE_FILES) >= 5


def test_page_with_broken_bylines_warns_once_for_each_recovered_byline():
    path = PAGES / "page-broken-bylines.txt"

    reading = parse_page(path.read_text(encoding="utf-8"), source=path.name)

    assert [(w.line, w.field) for w in reading.warnings] == [
        (5, "credits"),
        (13, "credits"),
        (19, "credits"),
        (25, "credits"),
    ]
    assert all(w.source == path.name for w in reading.warnings)


def test_clean_pages_have_no_warnings():
    for path in PAGE_FILES:
        if path.stem == "page-broken-bylines":
            continue
        reading = parse_page(decode_text(path.read_bytes(), source=path.name), source=path.name)
        assert reading.warnings == [], path.name


# --- Paragraphs cut by the columns ------------------------------------------------------


def test_paragraph_cut_mid_word_is_joined_without_a_space():
    story = only_story(
        "岷县政协",
        "召开主席会议",
        "本报岷县讯 近日，岷县政协召开主席会议，传达学习上级会议精神，研究部署下半年重点",
        "工作安排。",
    )

    assert story.paragraphs == ["近日，岷县政协召开主席会议，传达学习上级会议精神，研究部署下半年重点工作安排。"]


def test_short_tail_of_a_cut_paragraph_is_not_read_as_a_heading():
    story = only_story(
        "陇南市政协",
        "视察城区停车场建设",
        "本报陇南讯 委员们察看了三处新建停车场，并就收费管理提出了",
        "改进建议",
        "。委员们还建议增设充电桩。",
    )

    assert story.subheads == []
    assert story.paragraphs == ["委员们察看了三处新建停车场，并就收费管理提出了改进建议。委员们还建议增设充电桩。"]


def test_sentence_ending_inside_a_closing_quote_ends_the_paragraph():
    story = only_story(
        "天水市政协",
        "委员热议乡村文化建设",
        "本报天水讯 委员们表示：“要让农家书屋真正用起来。”",
        "会后，调研组将形成报告。",
    )

    assert len(story.paragraphs) == 2


def test_paragraphs_on_consecutive_lines_are_separate_when_each_ends_a_sentence():
    story = parse_page("临夏州政协\n召开常委会议\n本报临夏讯 会议听取了工作汇报。\n会议审议了有关事项。").items[0]

    assert story.paragraphs == ["会议听取了工作汇报。", "会议审议了有关事项。"]


# --- Datelines and bylines --------------------------------------------------------------


def test_dateline_names_the_bureau_place():
    story = only_story("张掖市政协", "开展调研", "本报张掖讯 近日，张掖市政协开展调研。")

    assert (story.dateline, story.dateline_date) == ("张掖", None)
    assert story.paragraphs == ["近日，张掖市政协开展调研。"]


def test_bare_dispatch_from_the_head_office_has_an_empty_dateline():
    story = only_story("省政协", "召开党组会议", "本报讯 省政协日前召开党组会议。")

    assert story.dateline == ""


def test_date_inside_the_dateline_is_kept_apart_from_the_place():
    story = only_story("天水市政协", "召开常委会", "本报天水5月4日讯 天水市政协召开常委会。")

    assert (story.dateline, story.dateline_date) == ("天水", "5月4日")
    assert story.paragraphs == ["天水市政协召开常委会。"]


def test_story_without_dateline_has_none():
    story = only_story("委员风采", "他把心思用在群众身上。")

    assert story.dateline is None


def test_benbao_jizhe_is_a_title_not_a_dateline():
    story = only_story("走进委员工作室", "本报记者 杨柳", "这里每周都有委员值班。")

    assert story.dateline is None
    assert credits(story) == [("杨柳", "本报记者", "text")]


def test_several_names_under_one_title_all_take_it():
    story = only_story("岷县政协", "开展视察", "本报岷县讯(通讯员 包文娟 马俊)岷县政协开展视察。")

    assert credits(story) == [("包文娟", "通讯员", "text"), ("马俊", "通讯员", "text")]


def test_each_name_takes_the_title_printed_before_it():
    story = only_story("陇南市政协", "开展调研", "本报陇南讯(通讯员张海燕 记者刘子涵)陇南市政协开展调研。")

    assert credits(story) == [("张海燕", "通讯员", "text"), ("刘子涵", "记者", "text")]


@pytest.mark.parametrize("title", ["本报记者", "特约通讯员", "特约记者", "见习记者", "实习生", "摄影记者"])
def test_titles_are_kept_as_printed(title):
    story = only_story("酒泉市政协", "开展调研", f"本报酒泉讯（{title} 孙悦）酒泉市政协开展调研。")

    assert credits(story) == [("孙悦", title, "text")]


def test_name_with_a_middle_dot_is_one_name():
    story = only_story("阿克塞县政协", "走访合作社", "本报阿克塞讯(特约通讯员 叶尔兰·努尔别克)委员们走访合作社。")

    assert credits(story) == [("叶尔兰·努尔别克", "特约通讯员", "text")]


def test_names_may_be_separated_by_enumeration_commas():
    story = only_story("甘州区政协", "开展协商", "本报甘州讯（通讯员 刘洋、苏婷）甘州区政协开展协商。")

    assert [credit.name for credit in story.credits] == ["刘洋", "苏婷"]


def test_bare_name_in_brackets_at_the_end_is_a_byline_without_title():
    story = only_story("渭源县政协", "召开协商会", "本报渭源讯 渭源县政协召开协商会，委员们积极建言。(李岩)")

    assert credits(story) == [("李岩", None, "text")]
    assert story.paragraphs == ["渭源县政协召开协商会，委员们积极建言。"]


def test_byline_on_its_own_line_at_the_end_belongs_to_the_story():
    story = only_story("金昌市政协", "调研职业教育", "本报金昌讯 金昌市政协调研职业教育。", "（闫晓婷）")

    assert credits(story) == [("闫晓婷", None, "text")]
    assert story.paragraphs == ["金昌市政协调研职业教育。"]


def test_dateline_byline_comes_before_trailing_byline():
    story = only_story("临泽县政协", "开展视察", "本报临泽讯(通讯员 田野)临泽县政协开展视察。(马俊)")

    assert credits(story) == [("田野", "通讯员", "text"), ("马俊", None, "text")]


def test_person_credited_twice_for_the_same_work_is_credited_once_as_first_printed():
    story = only_story("走进委员工作室", "本报记者 陈晓", "这里每周都有委员值班。（记者 陈晓 通讯员 李娜）")

    assert credits(story) == [("陈晓", "本报记者", "text"), ("李娜", "通讯员", "text")]


def test_words_in_brackets_closing_an_unfinished_sentence_are_text_not_a_byline():
    story = only_story("张掖市政协", "召开会议", "本报张掖讯 张掖市政协召开党组会议(扩大)", "，研究近期工作。")

    assert story.credits == []
    assert story.paragraphs == ["张掖市政协召开党组会议(扩大)，研究近期工作。"]


def test_byline_with_a_missing_closing_bracket_is_recovered_with_a_warning():
    reading = read("张掖市政协", "召开推进会", "本报张掖讯(通讯员李春燕9月12日，张掖市政协召开推进会。")

    story = reading.items[0]
    assert credits(story) == [("李春燕", "通讯员", "text")]
    assert story.paragraphs == ["9月12日，张掖市政协召开推进会。"]
    assert [(w.line, w.field, w.message) for w in reading.warnings] == [
        (5, "credits", "电头后的署名缺少括号或括号不全，已读作署名“李春燕”")
    ]


def test_byline_without_brackets_ends_where_the_date_starts():
    reading = read("天水市政协", "召开座谈会", "本报天水讯 通讯员 韩磊 李明轩 9月14日，天水市政协召开座谈会。")

    story = reading.items[0]
    assert [credit.name for credit in story.credits] == ["韩磊", "李明轩"]
    assert story.paragraphs == ["9月14日，天水市政协召开座谈会。"]
    assert reading.warnings[0].field == "credits"


def test_byline_without_brackets_ends_where_a_word_of_the_text_starts():
    story = only_story("陇南市政协", "开展调研", "本报陇南讯 记者 杨帆 近日，陇南市政协开展调研。")

    assert [credit.name for credit in story.credits] == ["杨帆"]
    assert story.paragraphs == ["近日，陇南市政协开展调研。"]


def test_name_running_straight_into_the_text_is_guessed_and_flagged():
    reading = read("临夏县政协", "开展义诊", "本报临夏讯(通讯员马海龙组织委员开展义诊。")

    assert [credit.name for credit in reading.items[0].credits] == ["马海龙"]
    assert [(w.line, w.field, w.message) for w in reading.warnings] == [
        (
            5,
            "credits",
            "电头后的署名缺少括号或括号不全，已读作署名“马海龙”；姓名与正文连在一起，是按三个字切开的，请核对",
        )
    ]


# --- Continuation markers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "marker, page",
    [
        ("(接一版)", 1),
        ("(接第一版)", 1),
        ("（接1版）", 1),
        ("（上接第四版）", 4),
        ("(接 第 2 版)", 2),
        ("（接１２版）", 12),
    ],
)
def test_continued_from_marker_at_the_start_gives_the_page(marker, page):
    story = only_story("让协商更接地气", f"{marker}委员们走进村社倾听民意。")

    assert story.continued_from_page == page
    assert story.paragraphs == ["委员们走进村社倾听民意。"]


def test_continued_from_marker_may_stand_on_its_own_line():
    story = only_story("让协商更接地气", "(接一版)", "委员们走进村社倾听民意。")

    assert story.continued_from_page == 1
    assert story.paragraphs == ["委员们走进村社倾听民意。"]


@pytest.mark.parametrize(
    "marker, page",
    [
        ("(下转第四版)", 4),
        ("(转4版)", 4),
        ("(转第4版)", 4),
        ("(下转4版)", 4),
        ("（下转第十二版）", 12),
        ("（转二十版）", 20),
    ],
)
def test_continued_on_marker_at_the_end_gives_the_page(marker, page):
    story = only_story("让协商更接地气", f"委员们走进村社倾听民意。{marker}")

    assert story.continued_on_page == page
    assert story.paragraphs == ["委员们走进村社倾听民意。"]


def test_continued_on_marker_may_cut_a_sentence_without_a_warning():
    reading = read("让协商更接地气", "委员们走进村社倾听民意，把群众的(下转第四版)")

    assert reading.items[0].paragraphs == ["委员们走进村社倾听民意，把群众的"]
    assert reading.warnings == []


@pytest.mark.parametrize(
    "text, number",
    [
        ("4", 4),
        ("４", 4),
        ("一", 1),
        ("四", 4),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("甲", None),
        ("十十", None),
    ],
)
def test_page_numbers_read_chinese_numerals_and_digits(text, number):
    assert page_number(text) == number


# --- Headings: kickers, headlines, subheads -----------------------------------------------


def test_line_above_the_headline_is_the_kicker():
    story = only_story("临夏州政协", "开展专题调研", "本报临夏讯 临夏州政协开展专题调研。")

    assert (story.kicker, story.headline) == ("临夏州政协", "开展专题调研")


@pytest.mark.parametrize("colon", ["：", ":"])
def test_body_named_before_a_colon_is_the_kicker(colon):
    story = only_story(f"渭源县政协{colon}加快发展特色产业", "本报渭源讯 渭源县政协召开协商会。")

    assert (story.kicker, story.headline) == ("渭源县政协", "加快发展特色产业")


@pytest.mark.parametrize("heading", ["委员之声：让乡村留得住年轻人", "回望这一年：政协委员的履职笔记"])
def test_colon_stays_in_the_headline_when_what_precedes_it_is_not_a_body(heading):
    story = only_story(heading, "本报讯 委员们畅谈履职感受。")

    assert (story.kicker, story.headline) == (None, heading)


def test_headline_keeps_its_spaces_and_quotes():
    story = only_story("民勤县政协", "推进“节水农业” 守护绿洲家园", "本报民勤讯 民勤县政协开展视察。")

    assert story.headline == "推进“节水农业” 守护绿洲家园"


def test_subheads_keep_their_place_among_the_paragraphs():
    story = only_story(
        "让协商更接地气",
        "(接一版)委员们走进村社倾听民意。",
        "搭建协商平台",
        "县政协在各乡镇设立协商议事室。",
        "完善办理机制",
        "每项建议都明确了办理单位。",
    )

    assert story.subheads == ["搭建协商平台", "完善办理机制"]
    assert story.body == [
        ("paragraph", "委员们走进村社倾听民意。"),
        ("subhead", "搭建协商平台"),
        ("paragraph", "县政协在各乡镇设立协商议事室。"),
        ("subhead", "完善办理机制"),
        ("paragraph", "每项建议都明确了办理单位。"),
    ]


def test_subtitle_under_the_headline_is_the_subheadline():
    story = only_story(
        "让协商成果落地生根", "——甘州区政协推进基层协商见闻", "本报记者 陈晓", "甘州区的协商议事室里总是很热闹。"
    )

    assert story.headline == "让协商成果落地生根"
    assert story.subheadline == "甘州区政协推进基层协商见闻"
    assert story.kicker is None
    assert story.subheads == []
    assert story.paragraphs == ["甘州区的协商议事室里总是很热闹。"]


def test_subtitle_printed_in_the_headline_line_stays_in_the_headline():
    story = only_story("让协商成果落地生根——甘州区政协推进基层协商见闻", "本报记者 陈晓", "议事室里总是很热闹。")

    assert story.headline == "让协商成果落地生根——甘州区政协推进基层协商见闻"
    assert story.subheadline == ""


def test_kicker_headline_and_subtitle_in_three_lines():
    story = only_story(
        "聚焦乡村振兴", "委员建言特色产业", "——临洮县政协专题协商会侧记", "本报记者 陈晓", "委员们各抒己见。"
    )

    assert (story.kicker, story.headline, story.subheadline) == (
        "聚焦乡村振兴",
        "委员建言特色产业",
        "临洮县政协专题协商会侧记",
    )


def test_headline_that_asks_a_question_is_read_as_a_headline_over_a_dateline():
    reading = read(
        "张掖市政协",
        "召开常委会",
        "本报张掖讯 张掖市政协召开常委会。",
        "委员提案为何件件有回音？",
        "本报讯 今年以来，委员提案办复率保持在较高水平。",
    )

    assert [item.headline for item in reading.items] == ["召开常委会", "委员提案为何件件有回音？"]
    assert reading.errors == []


def test_headline_naming_a_local_body_opens_a_new_story_after_an_unfinished_one():
    reading = read(
        "岷县政协",
        "开展视察",
        "本报岷县讯 岷县政协开展视察。",
        "漳县政协委员走访种植大户",
        "近日，漳县政协委员走访种植大户，了解中药材收购价格。",
    )

    assert [item.headline for item in reading.items] == ["开展视察", "漳县政协委员走访种植大户"]


def test_single_heading_after_a_closing_byline_opens_a_new_story():
    reading = read(
        "金昌市政协",
        "开展调研",
        "本报金昌讯 金昌市政协开展调研。(闫晓婷)",
        "委员履职故事",
        "他每年都要走访几十户群众。",
    )

    assert [item.headline for item in reading.items] == ["开展调研", "委员履职故事"]


# --- Photo reports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credit_line, expected",
    [
        ("通讯员 鱼勇 摄影报道", [("鱼勇", "通讯员", "photo")]),
        ("张泽慧摄", [("张泽慧", None, "photo")]),
        ("记者 李文强 摄", [("李文强", "记者", "photo")]),
        ("本报记者 吕佳 摄", [("吕佳", "本报记者", "photo")]),
        ("张志红 摄影报道", [("张志红", None, "photo")]),
        ("记者 李文强 通讯员 何雅琴 摄", [("李文强", "记者", "photo"), ("何雅琴", "通讯员", "photo")]),
    ],
)
def test_photo_credit_at_the_end_of_the_caption_makes_a_photo_report(credit_line, expected):
    story = only_story("委员为群众义诊", f"6月25日，委员们为群众免费义诊。{credit_line}")

    assert story.kind == "photo"
    assert credits(story) == expected
    assert story.paragraphs == ["6月25日，委员们为群众免费义诊。"]


def test_photo_credit_on_its_own_line_makes_a_photo_report():
    story = only_story("委员为群众义诊", "6月25日，委员们为群众免费义诊。", "本报记者 吕佳 摄")

    assert story.kind == "photo"
    assert credits(story) == [("吕佳", "本报记者", "photo")]


def test_caption_without_full_stop_keeps_its_words_before_the_credit():
    story = only_story("候鸟北归", "图为灰鹤在黑河湿地觅食 记者 李文强 摄")

    assert story.paragraphs == ["图为灰鹤在黑河湿地觅食"]
    assert credits(story) == [("李文强", "记者", "photo")]


def test_photo_report_with_several_captions_keeps_each_caption_and_each_photographer_once():
    story = only_story(
        "春到陇原",
        "甘谷县政协委员走进果园。王建平摄",
        "秦安县政协委员察看桃花观光带。王建平摄",
        "清水县政协委员走进校园。本报记者 吕佳 摄",
    )

    assert story.kind == "photo"
    assert len(story.paragraphs) == 3
    assert credits(story) == [("王建平", None, "photo"), ("吕佳", "本报记者", "photo")]


def test_photo_report_with_one_credit_after_all_captions():
    story = only_story("春到陇原", "甘谷县政协委员走进果园。", "秦安县政协委员察看桃花观光带。", "王建平 摄影报道")

    assert story.kind == "photo"
    assert len(story.paragraphs) == 2
    assert credits(story) == [("王建平", None, "photo")]


def test_photo_report_after_an_unfinished_article_is_a_story_of_its_own():
    reading = read(
        "天水市政协",
        "召开协商会",
        "本报天水讯 天水市政协召开协商会。",
        "委员为群众义诊",
        "委员们为群众免费义诊。通讯员 鱼勇 摄影报道",
    )

    assert [item.kind for item in reading.items] == ["article", "photo"]


def test_sentence_ending_in_pai_she_is_not_a_photo_credit():
    story = only_story("委员履职故事", "他说，希望更多人来这里拍摄")

    assert story.credits == []
    assert story.kind == "article"


# --- Problems -------------------------------------------------------------------------------


def test_text_without_any_story_reports_no_stories_found():
    reading = parse_page("\n\n   \n", source="page-3.txt")

    assert reading.items == []
    assert [(e.source, e.line, e.message) for e in reading.errors] == [
        ("page-3.txt", None, "文件中没有读到任何稿件：应有标题和正文")
    ]


def test_paragraph_without_a_headline_is_an_error_naming_its_line():
    reading = read("本报张掖讯 张掖市政协召开常委会。")

    assert [(e.line, e.field, e.message) for e in reading.errors] == [
        (1, "headline", "稿件没有标题：以“张掖市政协召开常委会。”开头的正文前应有一行标题")
    ]


def test_headline_without_body_is_an_error_naming_its_line():
    reading = read("张掖市政协", "召开常委会", "本报张掖讯 张掖市政协召开常委会。", "委员风采")

    assert [(e.line, e.field, e.message) for e in reading.errors] == [(7, "paragraphs", "稿件“委员风采”没有正文")]


def test_every_problem_on_the_page_is_reported():
    reading = read(
        "本报张掖讯 张掖市政协召开常委会。",
        "岷县政协",
        "开展视察",
        "本报岷县讯 岷县政协开展视察。",
        "本报天水讯 天水市政协召开座谈会。",
    )

    assert [(e.line, e.field) for e in reading.errors] == [(1, "headline"), (9, "headline")]
    assert len(reading.items) == 3


def test_story_ending_mid_sentence_is_flagged():
    reading = read("张掖市政协", "召开常委会", "本报张掖讯 张掖市政协召开常委会，会议强调")

    assert [(w.line, w.field, w.message) for w in reading.warnings] == [
        (5, "paragraphs", "稿件“召开常委会”在句子中间结束：这一段没有句末标点，可能缺了后文或转版标记")
    ]


def test_text_after_a_closing_byline_is_flagged():
    reading = read("金昌市政协", "开展调研", "本报金昌讯 金昌市政协开展调研。(闫晓婷)", "委员们还察看了实训基地。")

    assert reading.items[0].paragraphs[-1] == "委员们还察看了实训基地。"
    assert [(w.line, w.field, w.message) for w in reading.warnings] == [
        (7, "paragraphs", "稿件“开展调研”已在署名、（完）或转版标记处结束，其后的这段文字已并入该稿件，请核对")
    ]


def test_page_furniture_is_skipped_with_a_warning():
    reading = read(
        "2023年6月30日 星期五", "张掖市政协", "召开常委会", "本报张掖讯 张掖市政协召开常委会。", "责任编辑：马文博"
    )

    assert [(item.kicker, item.headline) for item in reading.items] == [("张掖市政协", "召开常委会")]
    assert [(w.line, w.message) for w in reading.warnings] == [
        (1, "版面日期“2023年6月30日 星期五”不是稿件，已略去"),
        (9, "编辑署名“责任编辑：马文博”不是稿件，已略去"),
    ]


def test_end_mark_closes_the_story():
    reading = read(
        "金昌市政协", "开展调研", "本报金昌讯 金昌市政协开展调研。（完）", "委员风采", "他每年都要走访几十户群众。"
    )

    assert [item.paragraphs for item in reading.items] == [["金昌市政协开展调研。"], ["他每年都要走访几十户群众。"]]


# --- Output ---------------------------------------------------------------------------------


def test_story_as_dict_has_the_keys_of_the_expected_readings():
    story = only_story("天水市政协", "召开常委会", "本报天水5月4日讯(通讯员 韩磊)天水市政协召开常委会。")

    assert story.as_dict() == {
        "kind": "article",
        "kicker": "天水市政协",
        "headline": "召开常委会",
        "subheadline": "",
        "dateline": "天水",
        "dateline_date": "5月4日",
        "credits": [{"name": "韩磊", "title": "通讯员", "contribution": "text"}],
        "paragraphs": ["天水市政协召开常委会。"],
        "subheads": [],
        "body": [{"kind": "paragraph", "text": "天水市政协召开常委会。"}],
        "continued_from_page": None,
        "continued_on_page": None,
        "line": 1,
    }


def test_credit_compares_by_value():
    assert Credit("鱼勇", "通讯员", "photo") == Credit("鱼勇", "通讯员", "photo")


def test_command_line_prints_the_reading_as_one_json_object(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_bytes("岷县政协\r\n\r\n开展视察\r\n\r\n本报岷县讯 岷县政协开展视察。\r\n".encode("gb18030"))

    status = main([str(page)])

    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [item["headline"] for item in printed["items"]] == ["开展视察"]
    assert printed["errors"] == []
    assert printed["warnings"] == []


def test_command_line_reports_a_file_it_cannot_read(tmp_path, capsys):
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")

    status = main([str(page)])

    printed = json.loads(capsys.readouterr().out)
    assert status == 1
    assert printed["errors"] == [{"source": str(page), "line": None, "field": None, "message": "文件为空"}]
