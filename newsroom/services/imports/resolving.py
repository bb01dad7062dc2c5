"""Resolving: every name a batch gives matched against the database, every story planned; nothing written."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from newsroom import body as story_body
from newsroom import images
from newsroom.bulletin.items import Problem, StoryItem
from newsroom.models import Bureau, Correspondent, Issue, Region, Story

from .. import stories as story_service
from .. import workflow
from ..stories import CreditInput
from .plan import Action, Plan, Planned, effective_credits, effective_values, no_progress
from .reading import read_uploads

TITLES = {title.value for title in Correspondent.Title}
LIMITED_FIELDS = ("headline", "kicker", "subheadline", "reference")  # checked against the model's max_length


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
                title=title_choice(title),
                bureau=bureau if bureau is not None and bureau.pk else None,
            )
            self.plan.people[key] = person
            self.plan.warnings.append(Problem(item.source, item.line, "credits", f"新建通讯员“{name}”"))
        return person

    def problem(self, item, field_name, message):
        self.plan.errors.append(Problem(item.source, item.line, field_name, message))


def title_choice(printed):
    printed = (printed or "").removeprefix("本报")
    if printed in TITLES:
        return printed
    return Correspondent.Title.REPORTER if printed.endswith("记者") else Correspondent.Title.CORRESPONDENT


def plan_import(uploads, *, actor=None, issue_number=None, issue_date=None, page=None, progress=no_progress):
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
    found = Story.objects.filter(reference__in=references).prefetch_related("credits")
    return {story.reference: story for story in found}


def _plan_story(item, directory, plan, actor, existing):
    planned = Planned(item=item)
    for name in LIMITED_FIELDS:
        value = getattr(item, name)
        limit = Story._meta.get_field(name).max_length
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
    planned.credits = [
        CreditInput(
            correspondent=directory.person(credit.name, credit.title, bureau, item),
            contribution=credit.contribution,
            title=credit.title or "",  # a bare name stays bare, as printed
        )
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
        planned.action = Action.UPDATE  # until _decide_existing compares it
        if story.issue_id and plan.issue and story.issue_id != plan.issue.pk:
            directory.problem(item, "reference", f"编号“{item.reference}”已属于另一期的稿件")
    return planned


def _decide_existing(plan, actor, directory):
    """Unchanged or update, for stories the batch already knows by reference."""
    for planned in plan.planned:
        story = planned.story
        if planned.action != Action.UPDATE or story is None:
            continue
        planned.action = Action.UNCHANGED if _same(story, planned) else Action.UPDATE
        item = planned.item
        if planned.action == Action.UPDATE and actor is not None and not story_service.can_edit(actor, story):
            directory.problem(
                item, "reference", f"稿件“{story.headline}”（{story.get_status_display()}）不能由您的角色修改"
            )
        if planned.action == Action.UPDATE and actor is None and story.status == Story.Status.PUBLISHED:
            directory.problem(item, "reference", f"稿件“{story.headline}”已发布，须由总编在后台更正")
    for planned in plan.planned:
        if planned.action == Action.JOIN and planned.target is not None and planned.target.action == Action.UNCHANGED:
            planned.action = Action.UNCHANGED


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
    stored = [(credit.correspondent_id, credit.title, credit.contribution) for credit in story.credits.all()]
    wanted = [(credit.correspondent.pk, credit.title, credit.contribution) for credit in effective_credits(planned)]
    return stored == wanted


def _join_continuations(plan):
    """A story marked 接X版 on page P joins the one on page X marked 转P版: one story, parts in order."""
    by_place = {}
    for planned in plan.planned:
        if planned.item.continued_on_page and planned.action != Action.JOIN:
            by_place.setdefault((planned.item.page, planned.item.continued_on_page), []).append(planned)
    for planned in plan.planned:
        item = planned.item
        if not item.continued_from_page or not item.page or planned.story is not None:
            continue
        candidates = by_place.get((item.continued_from_page, item.page), [])
        target = _choose(candidates, item.headline, lambda candidate: candidate.item.headline)
        if target is not None:
            planned.action, planned.target = Action.JOIN, target
            target.joined.append(planned)
            continue
        if plan.issue is None:
            continue
        stories = Story.objects.filter(
            issue=plan.issue, page=item.continued_from_page, continued_on_page=item.page
        ).exclude(reference=item.reference)
        story = _choose(list(stories), item.headline, lambda candidate: candidate.headline)
        if story is not None:
            planned.action, planned.story = Action.JOIN, story
            tail = story.body[story.continuation_start :] if story.continuation_start is not None else []
            if story.continuation_start is not None and tail == planned.values["body"]:
                planned.action = Action.UNCHANGED


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
            title=title_choice(row.title),
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
