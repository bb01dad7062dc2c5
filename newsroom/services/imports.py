"""Importing bulletin batches: page texts, tables and issue bundles, all or nothing.

``plan_import`` reads every file and resolves every name against the database
without writing anything: it is the dry run and the preview. ``apply_import``
writes a plan in one transaction and records the batch. ``import_bulletin``
does both. A batch with any error writes nothing.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from newsroom import body as story_body
from newsroom import content, images
from newsroom.bulletin.bundle import read_bundle
from newsroom.bulletin.items import PhotoItem, Problem, StoryItem, items_from_page
from newsroom.bulletin.pagetext import parse_page
from newsroom.bulletin.tables import read_table
from newsroom.bulletin.textfile import BulletinFileError, decode_text
from newsroom.models import (
    Bureau,
    Correspondent,
    Credit,
    ImportBatch,
    ImportedStory,
    Issue,
    Page,
    Region,
    Story,
)
from newsroom.revisions import versions_of

from . import photos as photo_services
from . import stories as story_service
from . import workflow

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".json")
TEXT_SUFFIXES = (".txt",)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
TITLES = {title.value for title in Correspondent.Title}
FIELD_LIMITS = {"headline": 200, "kicker": 100, "subheadline": 200, "reference": 100}


def max_file_bytes():
    return getattr(settings, "BULLETIN_MAX_FILE_BYTES", 20 * 1024 * 1024)


def max_bundle_bytes():
    return getattr(settings, "BULLETIN_MAX_BUNDLE_BYTES", 300 * 1024 * 1024)


@dataclass
class Upload:
    name: str
    data: bytes
    rows: list | None = None  # a table already read into [(row number, {header: text})]


@dataclass
class Planned:
    """One story of the batch and what importing it will do."""

    item: StoryItem
    action: str = "new"  # new, update, unchanged or join (a continuation added to another story)
    story: Story | None = None
    values: dict = field(default_factory=dict)
    credits: list = field(default_factory=list)  # [(person key, printed title, contribution)]
    status: str = Story.Status.SUBMITTED
    published_at: datetime.datetime | None = None
    target: "Planned | None" = None  # for a join within the batch
    joined: list = field(default_factory=list)  # continuations joined to this story


@dataclass
class Plan:
    issue_number: int | None = None
    issue_date: datetime.date | None = None
    issue: Issue | None = None
    pages: dict = field(default_factory=dict)
    planned: list = field(default_factory=list)
    people: dict = field(default_factory=dict)  # key -> Correspondent (saved or to create)
    new_bureaus: dict = field(default_factory=dict)  # region pk -> Bureau to create
    correspondent_rows: list = field(default_factory=list)
    bureau_rows: list = field(default_factory=list)
    photos: list = field(default_factory=list)  # [(Planned, PhotoItem)]
    images: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def count(self, action):
        return sum(1 for planned in self.planned if planned.action == action)

    def summary(self):
        return {
            "new": self.count("new"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "joined": self.count("join"),
            "new_correspondents": sum(1 for person in self.people.values() if person.pk is None),
            "new_bureaus": len(self.new_bureaus),
        }


# Reading -----------------------------------------------------------------------------


def read_uploads(uploads, plan, *, page=None):
    """Turn the files into story items, table rows and images, noting every problem."""
    items = []
    texts = [upload for upload in uploads if upload.name.lower().endswith(TEXT_SUFFIXES)]
    for upload in uploads:
        name = upload.name
        plan.files.append({"name": name, "size": len(upload.data), "sha256": hashlib.sha256(upload.data).hexdigest()})
        lower = name.lower()
        limit = max_bundle_bytes() if lower.endswith(".zip") else max_file_bytes()
        if len(upload.data) > limit:
            plan.errors.append(Problem(name, None, None, f"文件有 {len(upload.data)} 字节，超过上限 {limit} 字节"))
            continue
        if not upload.data and upload.rows is None:
            plan.errors.append(Problem(name, None, None, "文件为空"))
            continue
        try:
            if lower.endswith(".zip"):
                items += _read_bundle(upload, plan)
            elif lower.endswith(TEXT_SUFFIXES):
                number = page if page and len(texts) == 1 else _page_from_name(name)
                if number is None:
                    plan.errors.append(
                        Problem(name, None, "page", "无法确定版次：请用 --page 指定，或把文件命名为 page-2.txt")
                    )
                    continue
                items += _read_page_text(decode_text(upload.data, source=name), name, number, plan)
            elif upload.rows is not None or lower.endswith(TABLE_SUFFIXES):
                items += _read_table(upload.data, name, plan, rows=upload.rows)
            elif lower.endswith(IMAGE_SUFFIXES):
                plan.images[name] = upload.data
            else:
                plan.errors.append(
                    Problem(name, None, None, "不认识的文件类型：应为页面文本 .txt、表格 .csv/.xlsx/.json 或 .zip")
                )
        except BulletinFileError as error:
            plan.errors.append(Problem(error.source, None, None, error.message))
    return items


def _page_from_name(name):
    match = re.search(r"(?:page|第|p)[-_ ]?(\d{1,2})", name, re.IGNORECASE) or re.fullmatch(r"(\d{1,2})\.txt", name)
    return int(match.group(1)) if match else None


def _read_page_text(text, name, number, plan):
    reading = parse_page(text, source=name)
    plan.errors += reading.errors
    plan.warnings += reading.warnings
    return items_from_page(reading, source=name, issue=plan.issue_number, page=number)


def _read_table(data, name, plan, rows=None):
    reading = read_table(data, source=name, issue=plan.issue_number, rows=rows)
    plan.errors += reading.errors
    plan.correspondent_rows += reading.correspondents
    plan.bureau_rows += reading.bureaus
    plan.photos += reading.photos  # (reference, PhotoItem) until the stories are planned
    return reading.stories


def _read_bundle(upload, plan):
    bundle = read_bundle(upload.data, source=upload.name, max_bytes=max_bundle_bytes())
    if plan.issue_number is not None and plan.issue_number != bundle.issue:
        plan.errors.append(
            Problem(upload.name, None, "issue", f"包里是第{bundle.issue}期，不是第{plan.issue_number}期")
        )
        return []
    plan.issue_number = bundle.issue
    try:
        plan.issue_date = plan.issue_date or datetime.date.fromisoformat(bundle.date)
    except ValueError:
        plan.errors.append(
            Problem(f"{upload.name}:manifest.json", None, "date", f"日期“{bundle.date}”应写成 2026-11-20")
        )
    for page in bundle.pages:
        if isinstance(page, dict) and isinstance(page.get("number"), int):
            plan.pages[page["number"]] = str(page.get("name") or "")
    items = []
    for name in bundle.tables:
        items += _read_table(bundle.files[name], f"{upload.name}:{name}", plan)
    if not any(item for item in items):
        for name in bundle.page_texts:
            number = _page_from_name(name)
            if number is None:
                plan.errors.append(Problem(f"{upload.name}:{name}", None, "page", "无法从文件名确定版次"))
                continue
            text = decode_text(bundle.files[name], source=f"{upload.name}:{name}")
            items += _read_page_text(text, f"{upload.name}:{name}", number, plan)
    for name, data in bundle.files.items():
        if name.lower().endswith(IMAGE_SUFFIXES):
            plan.images[name] = data
    return items


# Resolving ---------------------------------------------------------------------------


class Directory:
    """Regions, bureaus and people by the names a page or a table gives them, loaded once."""

    def __init__(self, plan):
        self.plan = plan
        self.regions = list(Region.objects.select_related("parent"))
        self.region_by_key = {}
        self.regions_by_short = {}
        for region in self.regions:
            self.region_by_key[region.slug] = region
            self.region_by_key[region.name] = region
            self.regions_by_short.setdefault(region.short_name, []).append(region)
        self.bureaus = list(Bureau.objects.select_related("region"))
        self.bureau_by_region = {bureau.region_id: bureau for bureau in self.bureaus}
        self.people_by_name = {}
        for person in Correspondent.objects.select_related("bureau"):
            self.people_by_name.setdefault(person.name, []).append(person)
        # By length, so that 临夏回族自治州 is found before 临夏.
        self.region_names = sorted(
            ((region.name, region) for region in self.regions if region.level != Region.Level.PROVINCE),
            key=lambda pair: -len(pair[0]),
        )

    def region(self, key):
        region = self.region_by_key.get(key)
        if region is None:
            matches = self.regions_by_short.get(key, [])
            region = matches[0] if len(matches) == 1 else None
        return region

    def bureau(self, key, item, field_name):
        """A bureau by slug, region name, place (张掖) or dateline (本报张掖讯)."""
        place = re.sub(r"^本报(.*)讯$", r"\1", key)
        region = self.region_by_key.get(place)
        if region is not None:
            candidates = [region]
        else:
            candidates = self.regions_by_short.get(place, [])
            with_bureau = [region for region in candidates if region.pk in self.bureau_by_region]
            if with_bureau:
                candidates = with_bureau
        if len(candidates) > 1:
            names = "、".join(region.name for region in candidates)
            self.problem(item, field_name, f"“{key}”可指{names}，请用记者站标识（如 {candidates[0].slug}）")
            return None
        if not candidates:
            self.problem(item, field_name, f"没有“{key}”这个记者站或地区")
            return None
        region = candidates[0]
        bureau = self.bureau_by_region.get(region.pk) or self.plan.new_bureaus.get(region.pk)
        if bureau is None:
            bureau = Bureau(region=region)
            self.plan.new_bureaus[region.pk] = bureau
            self.plan.warnings.append(Problem(item.source, item.line, field_name, f"新建记者站“{bureau.dateline}”"))
        return bureau

    def region_in_text(self, *texts):
        """The region a story with no dateline is about, from its headline: 西和县政协… → 西和县."""
        for text in texts:
            for name, region in self.region_names:
                if text and name in text:
                    return region
        return None

    def person(self, name, title, bureau, item):
        """An existing correspondent by name (one of the story's bureau first), or a new one."""
        known = self.people_by_name.get(name, [])
        if known:
            same_bureau = [person for person in known if bureau is not None and person.bureau_id == bureau.pk]
            if len(known) > 1 and not same_bureau:
                self.plan.warnings.append(
                    Problem(item.source, item.line, "credits", f"有{len(known)}位“{name}”，已取第一位，请核对")
                )
            return (same_bureau or known)[0]
        key = ("new", name)
        person = self.plan.people.get(key)
        if person is None:
            person = Correspondent(
                name=name,
                title=_title_choice(title),
                bureau=bureau if bureau is not None and bureau.pk else None,
            )
            self.plan.people[key] = person
            self.plan.warnings.append(Problem(item.source, item.line, "credits", f"新建通讯员“{name}”"))
        return person

    def problem(self, item, field_name, message):
        self.plan.errors.append(Problem(item.source, item.line, field_name, message))


def _title_choice(printed):
    printed = (printed or "").removeprefix("本报")
    if printed in TITLES:
        return printed
    return Correspondent.Title.REPORTER if printed.endswith("记者") else Correspondent.Title.CORRESPONDENT


def _no_progress(stage, done, total):
    pass


def plan_import(uploads, *, actor=None, issue_number=None, issue_date=None, page=None, progress=_no_progress):
    """Everything the import would do, and every problem with it; writes nothing.

    ``progress(stage, done, total)`` is told how far it has got, for a progress bar.
    """
    plan = Plan(issue_number=issue_number, issue_date=issue_date)
    progress("读取文件", 0, len(uploads))
    items = read_uploads(uploads, plan, page=page)
    progress("读取文件", len(uploads), len(uploads))
    directory = Directory(plan)
    if not items and not plan.photos:
        # Tables of correspondents or bureaus only: no issue involved.
        _plan_tables_of_people(plan, directory)
        return plan
    _issue_from_rows(items, plan)
    if plan.issue_number is None:
        plan.errors.append(Problem("", None, "issue", "请给出期号（--issue，或表格的“期号”列）"))
        return plan
    plan.issue = Issue.objects.filter(number=plan.issue_number).first()
    if plan.issue is None and plan.issue_date is None:
        plan.errors.append(Problem("", None, "date", f"第{plan.issue_number}期还不存在，请给出出版日期（--date）"))
    if plan.issue is not None and plan.issue_date is not None and plan.issue.date != plan.issue_date:
        plan.errors.append(
            Problem("", None, "date", f"第{plan.issue_number}期的日期是 {plan.issue.date}，不是 {plan.issue_date}")
        )
    _check_keys(items, plan)
    existing = _existing_stories(items, plan)
    for number, item in enumerate(items, start=1):
        plan.planned.append(_plan_story(item, directory, plan, actor, existing))
        if number % 500 == 0 or number == len(items):
            progress("核对稿件", number, len(items))
    _join_continuations(plan)
    _decide_existing(plan, actor, directory)
    _plan_photos(plan)
    _plan_tables_of_people(plan, directory)
    return plan


def _issue_from_rows(items, plan):
    """A table may name its issue and date in columns instead of options."""
    if plan.issue_number is None:
        numbers = sorted({item.issue for item in items if item.issue})
        if len(numbers) == 1:
            plan.issue_number = numbers[0]
        elif numbers:
            listed = "、".join(f"第{number}期" for number in numbers)
            plan.errors.append(Problem(items[0].source, None, "issue", f"一个批次只导入一期，表中有{listed}"))
    if plan.issue_date is None:
        dates = sorted({item.issue_date for item in items if item.issue_date})
        if len(dates) == 1:
            try:
                plan.issue_date = datetime.date.fromisoformat(dates[0])
            except ValueError:
                plan.errors.append(
                    Problem(items[0].source, None, "issue_date", f"出版日期“{dates[0]}”应写成 2026-11-20")
                )


def _check_keys(items, plan):
    """Two rows with one reference, or one place on a page, are a mistake in the files."""
    seen = {}
    for item in items:
        if not item.reference and item.page:
            item.reference = f"{plan.issue_number}-{item.page}-{item.position}" if item.position else ""
        if not item.reference:
            continue
        if item.reference in seen:
            first = seen[item.reference]
            plan.errors.append(
                Problem(item.source, item.line, "reference", f"编号“{item.reference}”与{first.where}重复")
            )
        else:
            seen[item.reference] = item


def _existing_stories(items, plan):
    references = [item.reference for item in items if item.reference]
    found = Story.objects.filter(reference__in=references).prefetch_related("credits__correspondent")
    return {story.reference: story for story in found}


def _plan_story(item, directory, plan, actor, existing):
    planned = Planned(item=item)
    for name, limit in FIELD_LIMITS.items():
        value = getattr(item, name)
        if len(value) > limit:
            directory.problem(item, name, f"太长：{len(value)} 个字，最多 {limit} 个")
    bureau = None
    if item.bureau:
        bureau = directory.bureau(item.bureau, item, "bureau")
    elif item.dateline:
        bureau = directory.bureau(item.dateline, item, "dateline")
    region = None
    if item.region:
        region = directory.region(item.region)
        if region is None:
            directory.problem(item, "region", f"没有“{item.region}”这个地区（可用标识、全称或唯一的简称）")
    elif bureau is not None:
        region = bureau.region
    else:
        region = directory.region_in_text(item.kicker, item.headline)
    if not item.body:
        directory.problem(item, "body", "正文不能为空")
    try:
        story_body.validate(story_body.make(item.body))
    except ValidationError as error:
        directory.problem(item, "body", "；".join(error.messages))
    people_bureau = bureau
    planned.credits = [
        (directory.person(credit.name, credit.title, people_bureau, item), credit.title or "", credit.contribution)
        for credit in item.credits
    ]
    planned.values = {
        "kind": item.kind,
        "kicker": item.kicker,
        "headline": item.headline,
        "subheadline": item.subheadline,
        "bureau": bureau,
        "region": region,
        "event_date": item.event_date or None,
        "page": item.page,
        "position": item.position,
        "continued_from_page": item.continued_from_page,
        "continued_on_page": item.continued_on_page,
        "body": story_body.make(item.body),
        "continuation_start": item.continuation_start,
        "reference": item.reference,
    }
    planned.status = item.status or Story.Status.SUBMITTED
    if not workflow.may_import_as(actor, planned.status):
        directory.problem(
            item,
            "state",
            f"您的角色不能以“{Story.Status(planned.status).label}”状态导入稿件"
            + ("（命令行导入请用 --user 指定有权限的用户）" if actor is None else ""),
        )
    if planned.status == Story.Status.PUBLISHED:
        when = item.published_at
        if when is None and plan.issue_date:
            # A back issue's stories were published on the morning of its date.
            when = datetime.datetime.combine(plan.issue_date, datetime.time(6, 0))
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        planned.published_at = when
    story = existing.get(item.reference)
    if story is not None:
        planned.story = story
        planned.action = "update"  # until _decide_existing compares it
        if story.issue_id and plan.issue and story.issue_id != plan.issue.pk:
            directory.problem(item, "reference", f"编号“{item.reference}”已属于另一期的稿件")
    return planned


def effective_values(planned):
    """The story's fields once this batch is in: its own part plus any continuation joined to it.

    A story already joined to a continuation keeps that continuation when
    only its first part comes again.
    """
    values = dict(planned.values)
    body = list(values["body"])
    if planned.joined:
        for joined in planned.joined:
            values["continued_on_page"] = joined.item.page
            values["continuation_start"] = len(body)
            body += joined.values["body"]
    elif planned.story is not None and planned.story.continuation_start is not None:
        values["continued_on_page"] = planned.story.continued_on_page
        values["continuation_start"] = len(body)
        body += planned.story.body[planned.story.continuation_start :]
    values["body"] = body
    return values


def effective_credits(planned):
    return planned.credits + [credit for joined in planned.joined for credit in joined.credits]


def _decide_existing(plan, actor, directory):
    """Unchanged or update, for stories the batch already knows by reference."""
    for planned in plan.planned:
        story = planned.story
        if planned.action != "update" or story is None:
            continue
        planned.action = "unchanged" if _same(story, planned) else "update"
        item = planned.item
        if planned.action == "update" and actor is not None and not story_service.can_edit(actor, story):
            directory.problem(
                item, "reference", f"稿件“{story.headline}”（{story.get_status_display()}）不能由您的角色修改"
            )
        if planned.action == "update" and actor is None and story.status == Story.Status.PUBLISHED:
            directory.problem(item, "reference", f"稿件“{story.headline}”已发布，须由总编在后台更正")
    for planned in plan.planned:
        if planned.action == "join" and planned.target is not None and planned.target.action == "unchanged":
            planned.action = "unchanged"


def _same(story, planned):
    values = effective_values(planned)
    for name, value in values.items():
        current = getattr(story, name)
        if name in ("bureau", "region"):
            if (current.pk if current else None) != (value.pk if value else None):
                return False
        elif name == "event_date":
            if (current.isoformat() if current else None) != value:
                return False
        elif (current or None) != (value or None):
            return False
    credits = [(credit.correspondent, credit.title, credit.contribution) for credit in story.credits.all()]
    wanted = []
    for person, title, contribution in effective_credits(planned):
        if (person, title, contribution) not in wanted:
            wanted.append((person, title, contribution))
    return credits == wanted


def _join_continuations(plan):
    """A story marked 接X版 on page P joins the one on page X marked 转P版: one story, parts in order."""
    by_place = {}
    for planned in plan.planned:
        if planned.item.continued_on_page and planned.action != "join":
            by_place.setdefault((planned.item.page, planned.item.continued_on_page), []).append(planned)
    for planned in plan.planned:
        item = planned.item
        if not item.continued_from_page or not item.page or planned.story is not None:
            continue
        candidates = by_place.get((item.continued_from_page, item.page), [])
        target = _choose(candidates, item.headline, lambda candidate: candidate.item.headline)
        if target is not None:
            planned.action, planned.target = "join", target
            target.joined.append(planned)
            continue
        if plan.issue is None:
            continue
        stories = Story.objects.filter(
            issue=plan.issue, page=item.continued_from_page, continued_on_page=item.page
        ).exclude(reference=item.reference)
        story = _choose(list(stories), item.headline, lambda candidate: candidate.headline)
        if story is not None:
            planned.action, planned.story = "join", story
            tail = story.body[story.continuation_start :] if story.continuation_start is not None else []
            if story.continuation_start is not None and tail == planned.values["body"]:
                planned.action = "unchanged"


def _choose(candidates, headline, headline_of):
    if len(candidates) == 1:
        return candidates[0]
    same = [candidate for candidate in candidates if headline_of(candidate) == headline]
    return same[0] if len(same) == 1 else None


def _plan_photos(plan):
    by_reference = {planned.item.reference: planned for planned in plan.planned if planned.item.reference}
    photos = []
    for reference, photo in plan.photos:
        planned = by_reference.get(reference)
        if planned is None:
            plan.errors.append(Problem(photo.source, photo.line, "reference", f"没有编号为“{reference}”的稿件"))
            continue
        if photo.file not in plan.images:
            plan.errors.append(Problem(photo.source, photo.line, "file", f"找不到图片文件“{photo.file}”"))
            continue
        try:
            # Checked now, so a bad photo shows in the preview and stops the batch before anything is written.
            images.open_upload(ContentFile(plan.images[photo.file], name=photo.file.rsplit("/", 1)[-1]))
        except ValidationError as error:
            plan.errors.append(Problem(photo.source, photo.line, "file", "；".join(error.messages)))
            continue
        photos.append((planned, photo))
    plan.photos = photos


def _plan_tables_of_people(plan, directory):
    """Resolve and check the rows of people and bureau tables now, so the preview shows their problems."""
    for row in plan.correspondent_rows:
        row.resolved_bureau = None
        if row.bureau:
            row.resolved_bureau = directory.bureau(
                row.bureau, StoryItem(source=row.source, line=row.line, headline=""), "bureau"
            )
        person = Correspondent(
            name=row.name,
            title=_title_choice(row.title),
            unit=row.unit,
            phone=row.phone,
            email=row.email,
            active=row.active,
        )
        try:
            person.full_clean(exclude=["user", "bureau"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                plan.errors += [Problem(row.source, row.line, name, message) for message in messages]
    for row in plan.bureau_rows:
        row.resolved_region = directory.region(row.region)
        if row.resolved_region is None:
            plan.errors.append(Problem(row.source, row.line, "region", f"没有“{row.region}”这个地区"))


# Writing -----------------------------------------------------------------------------


@transaction.atomic
def apply_import(plan, *, actor=None, progress=_no_progress):
    """Write a plan with no errors; returns the recorded batch."""
    if plan.errors:
        raise ValidationError("导入有错误，未写入任何内容。")
    if actor is not None and not actor.has_perm("newsroom.import_bulletin"):
        raise PermissionDenied("您的角色不能批量导入。")
    issue = plan.issue
    if issue is None and plan.planned:
        issue = Issue.objects.create(number=plan.issue_number, date=plan.issue_date)
    if issue is not None:
        _ensure_pages(issue, plan)
    Bureau.objects.bulk_create(plan.new_bureaus.values())
    _write_people_tables(plan)
    Correspondent.objects.bulk_create(person for person in plan.people.values() if person.pk is None)

    batch = ImportBatch.objects.create(created_by=actor, issue=issue, files=plan.files)
    total = len(plan.planned)
    progress("写入稿件", 0, total)
    created = _create_stories(plan, issue, actor, batch)
    progress("写入稿件", created, total)
    updated = _update_stories(plan, actor, batch)
    progress("写入稿件", created + updated, total)
    _add_photos(plan)
    progress("写入稿件", total, total)
    batch.created_count = created
    batch.updated_count = updated
    batch.unchanged_count = plan.count("unchanged")
    batch.save(update_fields=["created_count", "updated_count", "unchanged_count"])
    # Names of bureaus and people, and published back issues, may show on readers' pages.
    content.changed()
    return batch


def _ensure_pages(issue, plan):
    numbers = {planned.item.page for planned in plan.planned if planned.item.page} | set(plan.pages)
    existing = set(issue.pages.values_list("number", flat=True))
    Page.objects.bulk_create(
        Page(issue=issue, number=number, name=plan.pages.get(number, "")) for number in sorted(numbers - existing)
    )


def _write_people_tables(plan):
    for row in plan.bureau_rows:
        Bureau.objects.update_or_create(region=row.resolved_region, defaults={"active": row.active})
    for row in plan.correspondent_rows:
        Correspondent.objects.update_or_create(
            name=row.name,
            unit=row.unit,
            defaults={
                "title": _title_choice(row.title),
                "bureau": row.resolved_bureau,
                "phone": row.phone,
                "email": row.email,
                "active": row.active,
            },
        )


def _create_stories(plan, issue, actor, batch):
    fresh = [planned for planned in plan.planned if planned.action == "new"]
    stories = []
    for planned in fresh:
        story = Story(**effective_values(planned), issue=issue, created_by=actor)
        story.search_text = story.compose_search_text()
        story.updated_at = story.created_at = timezone.now()
        planned.story = story
        stories.append(story)
    Story.objects.bulk_create(stories, batch_size=1000)
    credits = []
    for planned in fresh:
        credits += _credit_rows(planned.story, effective_credits(planned))
    Credit.objects.bulk_create(credits, batch_size=2000)
    # Each story enters the workflow at its state through the workflow service.
    groups = {}
    for planned in fresh:
        groups.setdefault((planned.status, planned.published_at), []).append(planned.story)
    for (status, when), group in groups.items():
        workflow.admit_imported(group, status, actor=actor, when=when)
    ImportedStory.objects.bulk_create(
        ImportedStory(batch=batch, story=planned.story, action=ImportedStory.Action.CREATED) for planned in fresh
    )
    return len(fresh)


def _credit_rows(story, people):
    rows, seen = [], set()
    for person, title, contribution in people:
        if (person.pk, contribution) in seen:
            continue
        seen.add((person.pk, contribution))
        rows.append(
            Credit(story=story, correspondent=person, title=title, contribution=contribution, position=len(rows))
        )
    return rows


def _update_stories(plan, actor, batch):
    updated = 0
    for planned in plan.planned:
        if planned.action == "update" or (planned.action == "join" and planned.story is not None):
            story = Story.objects.get(pk=planned.story.pk)
            previous = _current_version(story)
            if planned.action == "join":
                start = story.continuation_start if story.continuation_start is not None else len(story.body)
                fields = {"body": story.body[:start] + planned.values["body"], "continued_on_page": planned.item.page}
                story.continuation_start = start
                credits = None
            else:
                fields = {name: value for name, value in effective_values(planned).items() if name != "reference"}
                story.continuation_start = fields.pop("continuation_start")
                credits = [
                    story_service.CreditInput(correspondent=person, contribution=contribution, title=title)
                    for person, title, contribution in _unique(effective_credits(planned))
                ]
            story_service.update_story(story, actor=actor, credits=credits, comment=f"导入批次 #{batch.pk}", **fields)
            ImportedStory.objects.create(
                batch=batch, story=story, action=ImportedStory.Action.UPDATED, previous_version=previous
            )
            updated += 1
    return updated


def _unique(credits):
    seen, unique = set(), []
    for person, title, contribution in credits:
        if (person.pk, contribution) not in seen:
            seen.add((person.pk, contribution))
            unique.append((person, title, contribution))
    return unique


def _current_version(story):
    """The story's present state as a version, made now if it has none, so undo can come back to it."""
    version = versions_of(story).first()
    if version is None:
        with reversion.create_revision():
            reversion.set_comment("导入前的状态")
            reversion.add_to_revision(story)
        version = versions_of(story).first()
    return version


def _add_photos(plan):
    if not plan.photos:
        return
    with photo_services.all_or_nothing():
        for planned, photo in plan.photos:
            _add_photo(planned, photo, plan)


def _add_photo(planned, photo, plan):
    person = Correspondent.objects.filter(name=photo.photographer).first() if photo.photographer else None
    photo_services.add_photo(
        planned.story,
        upload=ContentFile(plan.images[photo.file], name=photo.file.rsplit("/", 1)[-1]),
        caption=photo.caption,
        alt=photo.alt or photo.caption[:100],
        photographer=person,
        photographer_title=photo.photographer_title,
    )


def import_bulletin(
    uploads, *, actor=None, issue_number=None, issue_date=None, page=None, dry_run=False, progress=_no_progress
):
    """Plan and, unless ``dry_run`` or the plan has errors, apply. Returns (plan, batch or None)."""
    plan = plan_import(
        uploads, actor=actor, issue_number=issue_number, issue_date=issue_date, page=page, progress=progress
    )
    if dry_run or plan.errors:
        return plan, None
    return plan, apply_import(plan, actor=actor, progress=progress)


# Undo --------------------------------------------------------------------------------


@transaction.atomic
def undo_batch(batch, *, actor):
    """Take a whole batch back while none of its stories is published."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if actor is not None and not actor.has_perm("newsroom.import_bulletin"):
        raise PermissionDenied("您的角色不能撤销导入。")
    if batch.state == ImportBatch.State.UNDONE:
        raise ValidationError(f"{batch} 已经撤销过了。")
    items = list(batch.items.select_related("story", "previous_version"))
    live = [
        item.story
        for item in items
        if item.story and item.story.status in (Story.Status.PUBLISHED, Story.Status.WITHDRAWN)
    ]
    if live:
        raise ValidationError(f"{batch} 中已有 {len(live)} 篇稿件发布（如“{live[0].headline}”），不能撤销。")
    for item in items:
        if item.story is None:
            continue
        if item.action == ImportedStory.Action.CREATED:
            for photo in item.story.photos.all():
                photo_services.delete_photo(photo)
            item.story.delete()
        elif item.previous_version is not None:
            story_service.restore_version(item.story, item.previous_version, actor=None)
    content.changed()
    batch.state = ImportBatch.State.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["state", "undone_at", "undone_by"])
    return batch


__all__ = ["PhotoItem", "Plan", "Upload", "apply_import", "import_bulletin", "plan_import", "undo_batch"]
