import csv
import datetime
import io

import pytest
from django.urls import reverse

from newsroom.services.stories import CreditInput

from . import factories

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def pieces(regions):
    wang = factories.correspondent("王立新")
    zhao = factories.correspondent("=HYPERLINK(1)")
    when = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    factories.published_story(bureau=factories.bureau("zhangye"), credits=[CreditInput(wang)], published_at=when)
    factories.published_story(
        bureau=factories.bureau("zhangye"),
        credits=[CreditInput(wang), CreditInput(zhao, "photo")],
        published_at=when,
    )
    factories.publish(factories.photo_story(region=factories.region("xihe"), photographer=wang), when=when)
    factories.published_story(credits=[CreditInput(wang)], published_at=when.replace(year=2025))
    factories.story(credits=[CreditInput(wang)])
    return wang


def test_records_count_published_pieces_per_person_and_bureau_split_by_kind(client, editor, pieces):
    client.force_login(editor)

    response = client.get(reverse("admin:newsroom_correspondent_records"), {"start": "2026-01-01", "end": "2026-12-31"})

    people = {row.name: (row.text, row.photo) for row in response.context["tables"].people}
    bureaus = {row.name: (row.text, row.photo) for row in response.context["tables"].bureaus}
    assert people == {"王立新": (2, 1), "=HYPERLINK(1)": (0, 1)}
    assert bureaus == {"本报张掖讯": (2, 0)}


def test_records_export_as_csv_without_formulas(client, editor, pieces):
    client.force_login(editor)

    response = client.get(
        reverse("admin:newsroom_correspondent_records"),
        {"start": "2026-01-01", "end": "2026-12-31", "format": "csv"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["类别", "名称", "身份/地区", "文字稿", "摄影稿", "合计"]
    assert ["作者", "王立新", "通讯员", "2", "1", "3"] in rows
    assert ["作者", "'=HYPERLINK(1)", "通讯员", "0", "1", "1"] in rows


def test_records_are_for_editors_only(client, contributor, pieces):
    client.force_login(contributor)

    assert client.get(reverse("admin:newsroom_correspondent_records")).status_code == 403


def test_a_reversed_period_is_refused_with_a_message(client, editor, pieces):
    client.force_login(editor)

    response = client.get(reverse("admin:newsroom_correspondent_records"), {"start": "2026-12-31", "end": "2026-01-01"})

    assert "截止日期不能早于起始日期" in response.content.decode()
