"""A page's furniture (masthead, date, page head, editors' line, folio, advertisements) is not read as stories."""

from pathlib import Path

import pytest

from newsroom.bulletin.items import items_from_page
from newsroom.bulletin.pagetext import editor_named, parse_page

PAGE = (Path(__file__).parent / "pages" / "page-counties.txt").read_text(encoding="utf-8")


def fields(reading):
    """What the desk sees of each story once imported as page 2: every field but where it starts in the file."""
    items = items_from_page(reading, source="page-2.txt", issue=1190, page=2)
    return [{key: value for key, value in item.as_dict().items() if key != "line"} for item in items]


def dropped(text, reading):
    """Each warning as (the line it points at, the message), checking that it points at the line it names."""
    lines = text.split("\n")
    return [(lines[warning.line - 1].strip(), warning.message) for warning in reading.warnings]


def notice(kind, line):
    return (line, f"{kind}“{line}”不是稿件，已略去")


# Each variant: the furniture above the page, the furniture below it, and what the desk is told of each line.
VARIANTS = {
    "masthead-date-page-editors-folio": (
        ["甘肃政协报", "2023年6月30日 星期五", "第二版 市县新闻", "责任编辑：张 伟 美术编辑：李 娜"],
        ["2 市县新闻"],
        [("报头", 0), ("版面日期", 1), ("版头", 2), ("编辑署名", 3), ("版脚", 4)],
    ),
    "one-line-head-name-apart-odd-spaces": (
        ["人民政协报 2023年7月5日 星期三", "第2版", "市县新闻", "责 任 编 辑：王　刚　　校对：赵 丽"],
        ["市县新闻 2"],
        [("报头", 0), ("版头", 1), ("版头", 2), ("编辑署名", 3), ("版脚", 4)],
    ),
    "lettered-page-paper-after-date-ad-block": (
        ["A2版 · 市县新闻", "2023年7月5日", "兰州晚报"],
        ["广告", "金城惠民药房", "常用药品八折优惠，欢迎选购！", "广告热线：0931-8456789", "A2"],
        [("版头", 0), ("版面日期", 1), ("报头", 2), ("广告", 3), ("广告", 4), ("广告", 5), ("广告", 6), ("版脚", 7)],
    ),
    "page-number-first-contacts-masthead-below": (
        ["02版", "市县", "责编：马文博 电话：0931-8123456", "邮箱：news@example.com"],
        ["甘肃日报", "2023年7月5日 星期三"],
        [("版头", 0), ("版头", 1), ("编辑署名", 2), ("版面联系方式", 3), ("报头", 4), ("版面日期", 5)],
    ),
    "latin-name-hotline-folio-with-page-head": (
        ["GANSU CPPCC NEWS", "甘肃政协报", "第二版"],
        ["招商热线：13909311234", "第二版  市县新闻"],
        [("报头", 0), ("报头", 1), ("版头", 2), ("广告", 3), ("版脚", 4)],
    ),
}


def test_the_page_alone_reads_without_warnings():
    reading = parse_page(PAGE, source="page-2.txt")

    assert [(item.kicker, item.headline) for item in reading.items] == [
        ("天水市政协", "召开主席会议研究部署下半年工作"),
        ("永登县政协", "助力城乡供水一体化"),
        ("凝心聚力谋发展", "委员走进田间地头"),
        (None, "兰州市政协委员开展送医下乡活动"),
    ]
    assert reading.warnings == [] and reading.errors == []
    assert (reading.page_name, reading.page_number) == ("", None)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_furniture_around_a_page_changes_nothing_of_its_stories(variant):
    top, bottom, expected = variant
    text = "\n\n".join(top) + "\n\n" + PAGE + "\n" + "\n\n".join(bottom) + "\n"
    furniture = top + bottom

    reading = parse_page(text, source="page-2.txt")

    assert fields(reading) == fields(parse_page(PAGE, source="page-2.txt"))
    assert reading.errors == []
    assert dropped(text, reading) == [notice(kind, furniture[index]) for kind, index in expected]
    assert all(warning.source == "page-2.txt" for warning in reading.warnings)


def test_the_masthead_warning_names_the_file_and_line():
    reading = parse_page("甘肃政协报\n2023年6月30日 星期五\n\n" + PAGE, source="page-2.txt")

    first = reading.warnings[0]
    assert (first.source, first.line, first.message) == ("page-2.txt", 1, "报头“甘肃政协报”不是稿件，已略去")
    assert reading.items[0].kicker == "天水市政协"


def test_the_page_head_gives_the_page_its_name_and_number():
    reading = parse_page("甘肃政协报\n第二版 市县新闻\n\n" + PAGE, source="page-2.txt")

    assert (reading.page_name, reading.page_number) == ("市县新闻", 2)


def test_the_folio_alone_gives_the_page_its_name_and_number():
    reading = parse_page(PAGE + "\n市县新闻 2\n", source="page-2.txt")

    assert (reading.page_name, reading.page_number) == ("市县新闻", 2)
    assert dropped(PAGE + "\n市县新闻 2\n", reading) == [notice("版脚", "市县新闻 2")]


def test_an_advertisement_between_two_stories_is_dropped():
    first, rest = PAGE.split("凝心聚力谋发展")
    ad = ["（广告）", "金城惠民药房", "地址：兰州市城关区庆阳路1号", "广告热线：0931-8456789"]
    text = first + "\n\n".join(ad) + "\n\n凝心聚力谋发展" + rest

    reading = parse_page(text, source="page-2.txt")

    assert fields(reading) == fields(parse_page(PAGE, source="page-2.txt"))
    assert dropped(text, reading) == [notice("广告", line) for line in ad]


# --- What looks like furniture but is a story's ------------------------------------------

BODY = "本报张掖讯(通讯员 王明)7月3日，张掖市政协召开座谈会。"


def headings(text):
    reading = parse_page(text, source="page-2.txt")
    return [(item.kicker, item.headline, item.subheads) for item in reading.items], reading.warnings


def test_a_paper_named_alone_at_the_top_is_a_kicker():
    stories, warnings = headings(f"甘肃日报\n\n召开通讯员座谈会\n\n{BODY}")

    assert stories == [("甘肃日报", "召开通讯员座谈会", [])]
    assert warnings == []


def test_a_kicker_under_the_page_head_stays_a_kicker():
    stories, warnings = headings(f"第二版\n\n张掖市政协\n\n召开座谈会\n\n{BODY}")

    assert stories == [("张掖市政协", "召开座谈会", [])]
    assert [warning.message for warning in warnings] == ["版头“第二版”不是稿件，已略去"]


def test_a_short_kicker_ending_in_bao_under_the_page_head_stays_a_kicker():
    stories, warnings = headings(f"2023年6月30日 星期五\n\n第二版 市县新闻\n\n捷报\n\n张掖市政协获评先进集体\n\n{BODY}")

    assert stories == [("捷报", "张掖市政协获评先进集体", [])]
    assert [warning.line for warning in warnings] == [1, 3]


def test_a_paper_named_as_a_kicker_inside_the_page_stays_a_kicker():
    other = "人民政协报\n\n刊发我省履职经验\n\n本报讯 近日，人民政协报刊发我省履职经验。"
    text = f"张掖市政协\n\n召开座谈会\n\n{BODY}\n\n{other}"

    stories, warnings = headings(text)

    assert stories == [("张掖市政协", "召开座谈会", []), ("人民政协报", "刊发我省履职经验", [])]
    assert warnings == []


def test_a_column_named_for_the_editor_and_dated_subheads_stay():
    text = "\n\n".join(
        ["责编手记", "本报讯 本期稿件来自基层。", "6月28日", "委员们走进社区。", "2023年6月29日", "委员们走进企业。"]
    )

    stories, warnings = headings(text)

    assert stories == [(None, "责编手记", ["6月28日", "2023年6月29日"])]
    assert warnings == []


@pytest.mark.parametrize(
    ("line", "editor"),
    [
        ("责任编辑：张 伟 美术编辑：李 娜", "张伟"),
        ("责 任 编 辑：王芳", "王芳"),
        ("美术编辑：李娜  责任编辑：赵一鸣", "赵一鸣"),
        ("本版责编：陈晓　校对：刘洋", "陈晓"),
        ("美术编辑：李娜", ""),
    ],
)
def test_the_editor_in_charge_is_read_from_the_editors_line(line, editor):
    assert editor_named(line) == editor


def test_a_page_reading_names_its_editor_in_charge():
    text = "甘肃政协报\n\n第二版 市县新闻\n\n责任编辑：张 伟 美术编辑：李 娜\n\n" + PAGE

    reading = parse_page(text)

    assert reading.editor == "张伟"
    assert reading.as_dict()["editor"] == "张伟"
    assert parse_page(PAGE).editor == ""
