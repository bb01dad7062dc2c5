import csv
import datetime
import io

import pytest
from django.urls import reverse

from newsroom.models import characters_of
from newsroom.services.stories import CreditInput

from . import factories

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
RECORDS = "admin:newsroom_correspondent_records"
# 9 characters of headline and 24 of body (two paragraphs): its spaces, full-width too, are not counted.
HEADLINE = "市政协召开 常委会议"
PARAGRAPHS = ("11月18日，市政协召开会议。", "会议　研究了 A 事项。")


@pytest.fixture
def pieces(regions):
    wang = factories.correspondent("王立新")
    zhao = factories.correspondent("=HYPERLINK(1)")
    when = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    march, may = factories.issue(number=901), factories.issue(number=902)
    zhangye = factories.bureau("zhangye")
    factories.published_story(
        headline=HEADLINE,
        paragraphs=PARAGRAPHS,
        bureau=zhangye,
        issue=march,
        credits=[CreditInput(wang)],
        published_at=when,
    )
    factories.published_story(
        headline=HEADLINE,
        paragraphs=PARAGRAPHS,
        bureau=zhangye,
        issue=may,
        credits=[CreditInput(wang), CreditInput(zhao, "photo")],
        published_at=when.replace(month=5),
    )
    factories.publish(factories.photo_story(region=factories.region("xihe"), photographer=wang, issue=may), when=when)
    factories.published_story(
        headline=HEADLINE, paragraphs=PARAGRAPHS, credits=[CreditInput(wang)], published_at=when.replace(year=2025)
    )
    # A draft in the issue and the period counts for nobody.
    factories.story(headline=HEADLINE, paragraphs=PARAGRAPHS, issue=march, credits=[CreditInput(wang)])
    return wang


def records(client, **query):
    return client.get(reverse(RECORDS), query)


def test_characters_are_those_of_headline_and_body_without_spaces():
    body = [{"kind": "paragraph", "text": text} for text in PARAGRAPHS]

    # 9 + 15 + 9 (会议研究了A事项。): every character but whitespace, of any width.
    assert characters_of(HEADLINE, body) == 9 + 15 + 9


def test_records_by_period_count_pieces_and_characters_per_person_and_bureau(client, editor, pieces):
    client.force_login(editor)

    response = records(client, start="2026-01-01", end="2026-12-31")

    tables = response.context["tables"]
    people = {row.name: (row.text, row.photo, row.characters) for row in tables.people}
    bureaus = {row.name: (row.text, row.photo, row.characters) for row in tables.bureaus}
    assert people == {"王立新": (2, 1, 66), "=HYPERLINK(1)": (0, 1, 0)}
    assert bureaus == {"本报张掖讯": (2, 0, 66)}
    assert (tables.overall.text, tables.overall.photo, tables.overall.characters) == (2, 1, 66)
    page = response.content.decode()
    assert "空格和换行不算" in page
    assert "2026-01-01 至 2026-12-31 发表" in page


def test_records_by_one_issue_and_by_a_range_of_issues(client, editor, pieces):
    client.force_login(editor)

    one = records(client, first_issue="901").context["tables"]
    both = records(client, first_issue="901", last_issue="902").context["tables"]

    assert [(row.name, row.text, row.photo, row.characters) for row in one.people] == [("王立新", 1, 0, 33)]
    assert {row.name: (row.text, row.photo) for row in both.people} == {"王立新": (2, 1), "=HYPERLINK(1)": (0, 1)}
    assert str(one.selection) == "第901期"
    assert str(both.selection) == "第901期至第902期"


def test_issue_and_period_together_count_what_both_take(client, editor, pieces):
    client.force_login(editor)

    tables = records(client, first_issue="901", last_issue="902", start="2026-04-01", end="2026-06-30").context[
        "tables"
    ]

    assert {row.name: (row.text, row.photo) for row in tables.people} == {"王立新": (1, 0), "=HYPERLINK(1)": (0, 1)}


def test_records_download_as_csv_for_excel_without_formulas(client, editor, pieces):
    client.force_login(editor)

    response = records(client, first_issue="901", last_issue="902", format="csv")

    assert response.content.startswith("\ufeff".encode())
    assert 'filename="records-issue901-902.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["类别", "名称", "身份/地区", "文字稿", "摄影稿", "合计", "文字稿字数"]
    assert ["作者", "王立新", "通讯员", "2", "1", "3", "66"] in rows
    assert ["作者", "'=HYPERLINK(1)", "通讯员", "0", "1", "1", "0"] in rows
    assert ["记者站", "本报张掖讯", "张掖市", "2", "0", "2", "66"] in rows
    assert ["合计", "全部稿件", "第901期至第902期", "2", "1", "3", "66"] in rows


def test_a_correspondent_sees_only_their_own_records(client, contributor, pieces):
    pieces.user = contributor
    pieces.save()
    client.force_login(contributor)

    response = records(client, start="2026-01-01", end="2026-12-31")

    assert [row.name for row in response.context["tables"].people] == ["王立新"]
    page = response.content.decode()
    assert "我的发稿统计" in page
    assert "HYPERLINK" not in page
    assert "按记者站" not in page
    rows = list(
        csv.reader(
            io.StringIO(records(client, start="2026-01-01", end="2026-12-31", format="csv").content.decode("utf-8-sig"))
        )
    )
    assert [row[1] for row in rows[1:]] == ["王立新"]


def test_an_account_without_a_correspondent_counts_nothing(client, contributor, pieces):
    client.force_login(contributor)

    response = records(client, start="2026-01-01", end="2026-12-31")

    assert response.context["tables"] is None
    assert "还没有关联通讯员档案" in response.content.decode()


def test_the_desk_links_the_records_for_editors_and_correspondents(client, editor, contributor):
    client.force_login(editor)
    assert "通讯员发稿统计" in client.get(reverse("admin:index")).content.decode()
    client.force_login(contributor)
    assert "我的发稿统计" in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-12-31", "end": "2026-01-01"}, "截止日期不能早于起始日期"),
        ({"start": "2026-01-01"}, "起始日期和截止日期都要填写"),
        ({"first_issue": "902", "last_issue": "901"}, "截止期号不能小于起始期号"),
        ({"first_issue": "abc"}, "期号应是数字"),
        ({"start": ""}, "请填写期号"),
    ],
)
def test_a_wrong_choice_is_refused_with_a_message(client, editor, pieces, query, message):
    client.force_login(editor)

    response = records(client, **query)

    assert response.context["tables"] is None
    assert message in response.content.decode()
