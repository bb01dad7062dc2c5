"""Counting correspondents' published pieces by print issue or period: the paper's yearly awards and fees.

Stories are chosen by the issues they were printed in (one issue, or a range of issue numbers),
by their publication dates, or both; only published stories count. Each person's pieces
(text and photo, by their credit) and each bureau's (by kind) are counted in the database, with
the characters of the text pieces, as papers pay fees (稿费) by them (``Story.char_count``:
every character of the headline and body but whitespace). A piece written by two people
counts in full for each of them.

Who sees whose records: the desk (whoever reviews stories) sees everyone's; anyone else
only their own, through the correspondent their account belongs to (``Correspondent.user``).
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, Q, Sum

from .exports import csv_response
from .models import Credit, Region, Story
from .widgets import TypedDateInput

CHARACTER_RULE = (
    "字数按标题和正文计：汉字、标点、字母、数字各算一个字，空格和换行不算；"
    "只计文字稿，摄影稿按篇计；多人合写的稿件，字数计入每位作者。"
)
CSV_HEADER = ["类别", "名称", "身份/地区", "文字稿", "摄影稿", "合计", "文字稿字数"]


class RecordsForm(forms.Form):
    """Which stories to count: issues from one number to another, dates from one day to another, or both."""

    first_issue = forms.IntegerField(
        label="起始期号", required=False, min_value=1, max_value=2**31 - 1, error_messages={"invalid": "期号应是数字。"}
    )
    last_issue = forms.IntegerField(
        label="截止期号",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="只统计一期，截止期号留空。",
        error_messages={"invalid": "期号应是数字。"},
    )
    start = forms.DateField(label="起始日期", required=False, widget=TypedDateInput())
    end = forms.DateField(label="截止日期", required=False, widget=TypedDateInput())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        first, last = cleaned.get("first_issue"), cleaned.get("last_issue")
        start, end = cleaned.get("start"), cleaned.get("end")
        if last is not None and first is None:
            first = cleaned["first_issue"] = last
        if first is not None and last is None:
            last = cleaned["last_issue"] = first
        if first is not None and last < first:
            raise forms.ValidationError("截止期号不能小于起始期号。")
        if (start is None) != (end is None):
            raise forms.ValidationError("按时间段统计，起始日期和截止日期都要填写。")
        if start is not None and end < start:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        if first is None and start is None:
            raise forms.ValidationError("请填写期号（一期或从某期到某期），或起止日期。")
        return cleaned


@dataclass(frozen=True)
class Selection:
    """The stories counted: printed in issues ``first_issue``–``last_issue``, published ``start``–``end``."""

    first_issue: int | None = None
    last_issue: int | None = None
    start: object = None
    end: object = None

    @classmethod
    def of(cls, cleaned):
        return cls(cleaned.get("first_issue"), cleaned.get("last_issue"), cleaned.get("start"), cleaned.get("end"))

    def stories(self):
        stories = Story.objects.published()
        if self.first_issue is not None:
            stories = stories.filter(issue__number__gte=self.first_issue, issue__number__lte=self.last_issue)
        if self.start is not None:
            stories = stories.published_between(self.start, self.end)
        return stories

    def __str__(self):
        parts = []
        if self.first_issue is not None:
            if self.first_issue == self.last_issue:
                parts.append(f"第{self.first_issue}期")
            else:
                parts.append(f"第{self.first_issue}期至第{self.last_issue}期")
        if self.start is not None:
            parts.append(f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d} 发表")
        return "，".join(parts)

    def file_name(self):
        parts = ["records"]
        if self.first_issue is not None:
            parts.append(f"issue{self.first_issue}-{self.last_issue}")
        if self.start is not None:
            parts.append(f"{self.start:%Y%m%d}-{self.end:%Y%m%d}")
        return "-".join(parts) + ".csv"


@dataclass
class Row:
    name: str
    detail: str
    text: int
    photo: int
    characters: int

    @property
    def total(self):
        return self.text + self.photo


@dataclass
class Tables:
    people: list
    bureaus: list
    # Every story counted, with a bureau or without; None where the viewer sees their own row only.
    overall: Row | None = None
    selection: Selection = field(default_factory=Selection)


def count_pieces(selection, person=None):
    """Pieces per correspondent and per bureau for ``selection``; only ``person``'s own row when given.

    Two grouped queries whatever the number of stories, people and bureaus; the bureaus' names
    come from the region map.
    """
    stories = selection.stories()
    # From the stories to their credits, one join: the stories' own conditions (published, the period)
    # are read from the story rows the credits are counted with.
    credited = stories.order_by().filter(credits__isnull=False)
    if person is not None:
        credited = credited.filter(credits__correspondent=person)
    grouped = credited.values(
        "credits__correspondent",
        "credits__contribution",
        "credits__correspondent__name",
        "credits__correspondent__title",
        "credits__correspondent__unit",
    ).annotate(pieces=Count("pk"), characters=Sum("char_count", default=0))
    rows = {}
    for item in grouped:
        row = rows.get(item["credits__correspondent"])
        if row is None:
            detail = " ".join(
                filter(None, [item["credits__correspondent__title"], item["credits__correspondent__unit"]])
            )
            row = rows[item["credits__correspondent"]] = Row(item["credits__correspondent__name"], detail, 0, 0, 0)
        if item["credits__contribution"] == Credit.Contribution.TEXT:
            row.text += item["pieces"]
            row.characters += item["characters"]
        else:
            row.photo += item["pieces"]
    people = sorted(rows.values(), key=lambda row: row.name)
    if person is not None:
        return Tables(people=people, bureaus=[], selection=selection)
    article, photo_report = Story.Kind.ARTICLE, Story.Kind.PHOTO
    per_bureau = (
        stories.order_by()
        .values("bureau")
        .annotate(
            text=Count("pk", filter=Q(kind=article)),
            photo=Count("pk", filter=Q(kind=photo_report)),
            characters=Sum("char_count", filter=Q(kind=article), default=0),
        )
    )
    region_map = Region.objects.map()
    bureaus, overall = [], Row("全部稿件", "", 0, 0, 0)
    for item in per_bureau:
        overall.text += item["text"]
        overall.photo += item["photo"]
        overall.characters += item["characters"]
        bureau = region_map.bureau_by_pk.get(item["bureau"])
        if bureau is not None:
            bureaus.append(
                (bureau, Row(bureau.dateline, bureau.region.name, item["text"], item["photo"], item["characters"]))
            )
    bureaus.sort(key=lambda pair: (pair[0].region.position, pair[0].pk))
    return Tables(people=people, bureaus=[row for _, row in bureaus], overall=overall, selection=selection)


def as_csv(tables):
    """Both tables in one file, Chinese headers, a byte-order mark so that Excel reads it as UTF-8."""
    rows = [("作者", row.name, row.detail, row.text, row.photo, row.total, row.characters) for row in tables.people]
    rows += [("记者站", row.name, row.detail, row.text, row.photo, row.total, row.characters) for row in tables.bureaus]
    if tables.overall is not None:
        row = tables.overall
        rows.append(("合计", row.name, str(tables.selection), row.text, row.photo, row.total, row.characters))
    return csv_response(tables.selection.file_name(), CSV_HEADER, rows)
