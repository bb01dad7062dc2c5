"""Counting correspondents' published pieces for a period: the paper's yearly awards and fees."""

from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q

from .exports import csv_response
from .models import Bureau, Credit, Story
from .widgets import TypedDateInput


class PeriodForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=TypedDateInput())
    end = forms.DateField(label="截止日期", widget=TypedDateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return cleaned


@dataclass
class Row:
    name: str
    detail: str
    text: int
    photo: int

    @property
    def total(self):
        return self.text + self.photo


@dataclass
class Tables:
    people: list
    bureaus: list


def count_pieces(start, end):
    """Published pieces per correspondent (by their credit: text or photo) and per bureau (by kind)."""
    published = Story.objects.published().published_between(start, end)
    credits = (
        Credit.objects.filter(story__in=published.values("pk"))
        .values("correspondent", "correspondent__name", "correspondent__title", "correspondent__unit")
        .annotate(
            text=Count("story", filter=Q(contribution=Credit.Contribution.TEXT), distinct=True),
            photo=Count("story", filter=Q(contribution=Credit.Contribution.PHOTO), distinct=True),
        )
        .order_by("correspondent__name", "correspondent")
    )
    people = [
        Row(
            name=item["correspondent__name"],
            detail=" ".join(filter(None, [item["correspondent__title"], item["correspondent__unit"]])),
            text=item["text"],
            photo=item["photo"],
        )
        for item in credits
    ]
    bureau_counts = (
        Bureau.objects.select_related("region")
        .annotate(
            text=Count("stories", filter=Q(stories__in=published.filter(kind=Story.Kind.ARTICLE).values("pk"))),
            photo=Count("stories", filter=Q(stories__in=published.filter(kind=Story.Kind.PHOTO).values("pk"))),
        )
        .order_by("region__position")
    )
    bureaus = [Row(bureau.dateline, bureau.region.name, bureau.text, bureau.photo) for bureau in bureau_counts]
    return Tables(people=people, bureaus=[row for row in bureaus if row.total])


def as_csv(tables, start, end):
    rows = [("作者", person.name, person.detail, person.text, person.photo, person.total) for person in tables.people]
    rows += [
        ("记者站", bureau.name, bureau.detail, bureau.text, bureau.photo, bureau.total) for bureau in tables.bureaus
    ]
    return csv_response(
        f"records-{start:%Y%m%d}-{end:%Y%m%d}.csv",
        ["类别", "名称", "身份/地区", "文字稿", "摄影稿", "合计"],
        rows,
    )
