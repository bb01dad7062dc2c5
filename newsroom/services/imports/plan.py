"""What an import will do: the uploads it reads, the stories it plans and the batch's plan."""

import datetime
import enum
from dataclasses import dataclass, field
from typing import NamedTuple

from newsroom.bulletin.items import Problem, StoryItem
from newsroom.bulletin.tables import BUREAU_COLUMNS, CORRESPONDENT_COLUMNS, STORY_COLUMNS
from newsroom.models import Issue, Story
from newsroom.pageimages import preview_uri

from ..stories import CreditInput


@dataclass
class Upload:
    name: str
    data: bytes
    rows: list | None = None  # a table already read into [(row number, {header: text})]


class Location(NamedTuple):
    """Where a problem is: a file (``bundle.zip:stories.csv`` inside a bundle; "" for the batch) and a line or row."""

    source: str
    line: int | None = None


class Problems:
    """What is wrong with a batch: errors, any one of which stops it, and warnings to check."""

    def __init__(self):
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, at: Location, field_name: str | None, message: str):
        self.errors.append(Problem(at.source, at.line, field_name, message))

    def warn(self, at: Location, field_name: str | None, message: str):
        self.warnings.append(Problem(at.source, at.line, field_name, message))


class Action(enum.StrEnum):
    """What importing a story does. The values are what ``import_bulletin --json`` prints."""

    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    JOIN = "join"  # a continuation added to another story


@dataclass
class PrintedPage:
    """One page of an imported PDF: the page of the issue it is, and its own one-page PDF."""

    number: int
    data: bytes
    source: str  # the file and page it came from: yaowen.pdf 第1页


@dataclass
class Planned:
    """One story of the batch and what importing it will do."""

    item: StoryItem
    action: Action = Action.NEW
    issue: Issue | None = None  # the issue it goes on (not saved yet if the batch creates it)
    story: Story | None = None
    values: dict = field(default_factory=dict)
    credits: list[CreditInput] = field(default_factory=list)  # as printed, in order
    topics: list | None = None  # the Topics a row names; None leaves a story's topics as they are
    status: str = Story.Status.SUBMITTED
    published_at: datetime.datetime | None = None
    # The workflow's notes for a new story: correction, corrected_at, withdrawn_reason.
    record: dict = field(default_factory=dict)
    target: "Planned | None" = None  # for a join within the batch
    joined: list = field(default_factory=list)  # continuations joined to this story


@dataclass
class Plan:
    """Everything a batch will write, and its problems; made by ``plan_import``, written by ``apply_import``."""

    issue_number: int | None = None  # the batch's issue (--issue, or a bundle's), for rows that name none
    issue_date: datetime.date | None = None
    issues: dict = field(default_factory=dict)  # number -> Issue, not saved yet for one the batch creates
    pages: dict = field(default_factory=dict)  # a bundle's page names, for the batch's issue
    editors: dict = field(default_factory=dict)  # page number -> its 责任编辑, from the page's editors' line
    planned: list = field(default_factory=list)
    people: dict = field(default_factory=dict)  # ("new", name) -> Correspondent the batch makes
    new_bureaus: dict = field(default_factory=dict)  # region pk -> Bureau to create
    correspondent_rows: list = field(default_factory=list)
    bureau_rows: list = field(default_factory=list)
    photos: list = field(default_factory=list)  # [(Planned, PhotoItem)]
    images: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    printed: list = field(default_factory=list)  # [PrintedPage] of the batch's issue, from its PDFs
    problems: Problems = field(default_factory=Problems)

    @property
    def errors(self):
        """Any one of these and nothing is written."""
        return self.problems.errors

    @property
    def warnings(self):
        """Written all the same, but worth a look."""
        return self.problems.warnings

    @property
    def ok(self):
        return not self.errors

    @property
    def issue(self):
        """The batch's issue when its stories are on one; None when on several or none."""
        return next(iter(self.issues.values())) if len(self.issues) == 1 else None

    @property
    def issue_names(self):
        """The issues as the preview names them: 第1190期, 第101—103期，共3期."""
        if self.issues:
            return issue_names(self.issues)
        return "期号未定" if self.planned else "不涉及报纸各期"

    def count(self, action):
        return sum(1 for planned in self.planned if planned.action == action)

    def report(self):
        """The preview as people read it, in plain data a job can keep: issue, counts, problems and rows.

        A problem found at a story's own file and line is written on that story's row;
        the rest (a file's, the batch's) above the rows.
        """
        rows = [_row(planned) for planned in self.planned]
        at = {(row["file"], row["line"]): row for row in rows if row["line"]}
        loose = {"errors": [], "warnings": []}
        for kind, problems in (("errors", self.errors), ("warnings", self.warnings)):
            for problem in problems:
                row = at.get((problem.source, problem.line))
                if row is not None:
                    row[kind].append(_field_and_message(problem))
                else:
                    loose[kind].append(problem_text(problem))
        return {
            "issue": self.issue_names,
            "summary": self.summary(),
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            **loose,
            "rows": rows,
            "pages": self.printed_report(),
        }

    def printed_report(self):
        """Each printed page as the preview shows it: a small picture, and the zones read, numbered as the rows.

        A zone's number is its story's row in the report, so the desk can match the outline to the story.
        """
        pages = []
        for printed in self.printed:
            zones = [
                {"number": number, "headline": planned.item.headline, **_percent(zone)}
                for number, planned in enumerate(self.planned, start=1)
                for zone in planned.item.zones
                if zone.get("page") == printed.number
            ]
            pages.append(
                {"number": printed.number, "source": printed.source, "image": preview_uri(printed.data), "zones": zones}
            )
        return pages

    def summary(self):
        return {
            "new": self.count(Action.NEW),
            "updated": self.count(Action.UPDATE),
            "unchanged": self.count(Action.UNCHANGED),
            "joined": self.count(Action.JOIN),
            "new_correspondents": sum(1 for person in self.people.values() if person.pk is None),
            "new_bureaus": len(self.new_bureaus),
            "issues": len(self.issues),
        }


def _percent(zone):
    """A zone in percent of the page, as the preview's outlines are placed (CSS left, top, width, height)."""
    return {name: round(zone[name] * 100, 2) for name in ("x", "y", "w", "h")}


def issue_names(numbers):
    """第1190期; 第101、102期，共2期; 第101—103、107期，共4期: runs of three or more as a span."""
    numbers = sorted(numbers)
    runs = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = "、".join(f"{run[0]}—{run[-1]}" if len(run) > 2 else "、".join(map(str, run)) for run in runs)
    return f"第{text}期" + (f"，共{len(numbers)}期" if len(numbers) > 1 else "")


ACTION_NAMES = {Action.NEW: "新建", Action.UPDATE: "更新", Action.UNCHANGED: "未变", Action.JOIN: "续接"}
# The counts of ``Plan.summary()`` as a sentence names them: 新建 3 篇.
SUMMARY_NAMES = {
    "new": ("新建", "篇"),
    "updated": ("更新", "篇"),
    "unchanged": ("未变", "篇"),
    "joined": ("续接", "篇"),
    "new_correspondents": ("新建通讯员", "位"),
    "new_bureaus": ("新建记者站", "个"),
    "issues": ("涉及", "期"),
}


def summary_text(summary):
    """``新建 3 篇，更新 0 篇，…，涉及 1 期``: a plan's counts in one line."""
    return "，".join(f"{SUMMARY_NAMES[key][0]} {value} {SUMMARY_NAMES[key][1]}" for key, value in summary.items())


def problem_text(problem):
    """A problem as one line: file, line or row, field, message."""
    where = problem.source or "本批次"
    if problem.line:
        where += f" 第{problem.line}行"
    return f"{where}{_field_and_message(problem)}"


# A problem's field as the desk's tables head it (署名, not credits).
FIELD_NAMES = {
    **{key: names[1] for columns in (BUREAU_COLUMNS, CORRESPONDENT_COLUMNS) for key, names in columns.items()},
    **{key: names[1] for key, names in STORY_COLUMNS.items()},
    "paragraphs": "正文",
    "caption": "图片说明",
    "date": "出版日期",
    "file": "文件",
    "zones": "版面区域",
}


def _field_and_message(problem):
    if not problem.field:
        return f"：{problem.message}"
    return f"（{FIELD_NAMES.get(problem.field, problem.field)}）：{problem.message}"


def _row(planned):
    item = planned.item
    bureau = planned.values.get("bureau")
    # The bureau's dateline (本报张掖讯); 本报讯 for a story filed without a place.
    dateline = bureau.dateline if bureau is not None else ("本报讯" if item.dateline == "" else "")
    credits = "；".join(
        f"{credit.title or ''} {credit.name}{' 摄' if credit.contribution == 'photo' else ''}".strip()
        for credit in item.credits
    )
    return {
        "action": ACTION_NAMES[planned.action],
        "page": item.page,
        "kicker": item.kicker,
        "headline": item.headline,
        "dateline": dateline,
        "credits": credits,
        "file": item.source,
        "line": item.line,
        "source": item.where,
        "errors": [],
        "warnings": [],
    }


def effective_values(planned):
    """The story's fields once this batch is in: its own part plus any continuation joined to it.

    A story already joined to a continuation keeps that continuation when
    only its first part comes again. A row that carries the whole story, its
    jump marked (a bundle's table), brings its continuation with it.
    """
    values = dict(planned.values)
    body = list(values["body"])
    whole = values["continuation_start"] is not None
    if planned.joined:
        for joined in planned.joined:
            values["continued_on_page"] = joined.item.page
            values["continuation_start"] = len(body)
            body += joined.values["body"]
    elif not whole and planned.story is not None and planned.story.continuation_start is not None:
        values["continued_on_page"] = planned.story.continued_on_page
        values["continuation_start"] = len(body)
        body += planned.story.body[planned.story.continuation_start :]
    values["body"] = body
    return values


def effective_credits(planned):
    """The story's credits once this batch is in: its own part's, then its continuations', each once."""
    return unique_credits(planned.credits + [credit for joined in planned.joined for credit in joined.credits])


def unique_credits(credits):
    """Each person credited once for each contribution (text, photo), where first listed.

    A person not saved yet is known by name: the resolver makes one per name.
    """
    seen, unique = set(), []
    for credit in credits:
        person = credit.correspondent
        key = (person.pk if person.pk is not None else ("new", person.name), credit.contribution)
        if key not in seen:
            seen.add(key)
            unique.append(credit)
    return unique


def no_progress(stage, done, total):
    pass
