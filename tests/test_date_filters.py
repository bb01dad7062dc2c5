"""The paper's date filters print what Django's ``date`` filter prints with the same formats."""

import datetime

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from newsroom.jinja import cn_date, cn_datetime, cn_month_day, iso

MOMENTS = [
    # 16:30 UTC is half past midnight the next day in Lanzhou: the printed day must be the local one.
    datetime.datetime(2026, 11, 24, 16, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 5, 3, 7, 9, 120, tzinfo=datetime.UTC),
    datetime.datetime(2025, 12, 31, 23, 59, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_dates_print_as_django_prints_them(moment):
    local = timezone.localtime(moment)
    assert cn_date(moment) == django_date(local, "Y年n月j日")
    assert cn_month_day(moment) == django_date(local, "n月j日")
    assert cn_datetime(moment) == django_date(local, "Y年n月j日 H:i")
    assert iso(moment) == django_date(local, "c")


def test_the_day_after_midnight_in_the_papers_time_zone():
    assert cn_date(MOMENTS[0]) == "2026年11月25日"


def test_a_day_and_nothing():
    day = datetime.date(2026, 11, 25)
    assert cn_date(day) == "2026年11月25日"
    assert iso(day) == "2026-11-25"
    assert cn_date(None) == iso(None) == cn_datetime(None) == cn_month_day(None) == ""
