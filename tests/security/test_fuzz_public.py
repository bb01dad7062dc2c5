"""Every public query parameter and path part, fed hostile values: never a 500, never a reflected script."""

import pytest

from newsroom.models import Story
from newsroom.services.stories import CreditInput
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    "x" * 5000,
    "' OR '1'='1",
    "1; DROP TABLE newsroom_story; --",
    "1 UNION SELECT username, password FROM auth_user",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "2026-02-30",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
    "20261120",
    "-1",
    "0",
    "99999999999999999999999999",
    str(2**63),
    "1e400",
    "NaN",
    "Infinity",
    "１２",
    "\x00",
    "zhangye\x00",
    "../../etc/passwd",
    "%",
    "null",
    "   ",
    "乱码\ufffd",
]
PARAMETERS = ["page", "q", "region", "bureau", "correspondent", "issue", "kind", "date_after", "date_before", "p"]


@pytest.fixture
def paper(regions):
    person = factories.correspondent("周文华")
    issue = factories.issue(number=1190)
    story = factories.published_story(
        headline="市政协召开常委会议",
        region=factories.region("minle"),
        bureau=factories.bureau("zhangye"),
        issue=issue,
        page=1,
        credits=[CreditInput(person)],
    )
    return {"story": story, "person": person}


def public_urls(paper):
    return [
        "/",
        "/articles/",
        f"/articles/{paper['story'].pk}/",
        "/regions/",
        "/regions/zhangye/",
        "/bureaus/zhangye/",
        f"/correspondents/{paper['person'].pk}/",
        "/issues/",
        "/issues/1190/",
        "/issues/1190/pages/1/",
        "/issues/calendar/2026/11/",
        "/feeds/latest/",
        "/feeds/regions/zhangye/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
    ]


def assert_safe(response, what):
    assert response.status_code < 500, what
    body = response.content.decode("utf-8", "replace")
    assert SCRIPT not in body, what
    assert "<img src=x onerror" not in body, what


def test_every_parameter_of_every_public_page_survives_hostile_values(client, paper):
    for url in public_urls(paper):
        for name in PARAMETERS:
            for value in HOSTILE:
                assert_safe(client.get(url, {name: value}), (url, name, value[:40]))


def test_all_filters_hostile_at_once(client, paper):
    for value in HOSTILE:
        response = client.get("/articles/", dict.fromkeys(PARAMETERS, value))
        assert_safe(response, value[:40])


@pytest.mark.parametrize(
    "query",
    ["q=%FF%FE%FD", "region=%C3%28", "page=%80", "q=\xff\xfe", "date_after=%ED%A0%80", "q=%00", "q=%2", "=&&=x&q"],
)
def test_invalid_utf8_and_broken_escapes_in_the_query_string(client, paper, query):
    for url in public_urls(paper):
        assert_safe(client.get(url, QUERY_STRING=query), (url, query))


@pytest.mark.parametrize(
    "path",
    [
        "/articles/99999999999999999999999999/",
        f"/articles/{2**63}/",
        "/issues/99999999999999999999999999/",
        "/issues/1190/pages/99999999999999999999999999/",
        "/issues/99999999999999999999999999/pages/1/",
        "/issues/calendar/99999999999999999999/1/",
        "/issues/calendar/2026/99999999999999999999/",
        "/issues/calendar/0/1/",
        "/issues/calendar/9999/12/",
        f"/correspondents/{2**63}/",
        "/regions/" + "a" * 3000 + "/",
        "/regions/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/bureaus/nowhere/",
        "/feeds/regions/nowhere/",
        "/feeds/regions/%00/",
        "/sitemap-nothing.xml",
        "/sitemap-stories.xml?p=-1",
        "/sitemap-stories.xml?p=999999999999999999",
        "/articles/%FF/",
        "/staff/originals/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_hostile_paths_are_not_found_never_an_error(client, paper, path):
    response = client.get(path)

    assert response.status_code in (302, 404), path
    assert_safe(response, path)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_after": "2026-02-30"}, "起始日期应写成"),
        ({"date_before": "tomorrow"}, "截止日期应写成"),
        ({"issue": "abc"}, "期号应是数字"),
        ({"kind": SCRIPT}, "类型"),
        ({"region": "atlantis"}, "没有找到地区"),
        ({"bureau": "atlantis"}, "没有找到记者站"),
        ({"correspondent": "999999"}, "没有找到编号为"),
        ({"page": "-3"}, "没有第-3页"),
        ({"page": "abc"}, "无效"),
    ],
)
def test_a_bad_value_gets_a_clear_message_and_changes_nothing(client, paper, params, message):
    before = list(Story.objects.values_list("pk", "status", "updated_at").order_by("pk"))
    response = client.get("/articles/", params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Story.objects.values_list("pk", "status", "updated_at").order_by("pk")) == before


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1-1-1"])
def test_extreme_dates_list_what_matches_without_an_error(client, paper, value):
    for name in ["date_after", "date_before"]:
        response = client.get("/articles/", {name: value})
        assert response.status_code == 200, (name, value)
