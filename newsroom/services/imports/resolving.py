"""Resolving: every name a batch gives matched against the database, every story planned; nothing written."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from newsroom import body as story_body
from newsroom import images
from newsroom.models import Correspondent, Issue, Story, Topic

from .. import stories as story_service
from .. import workflow
from ..stories import CreditInput
from .directory import Directory, title_choice
from .plan import Action, Location, Plan, Planned, effective_credits, effective_values, no_progress
from .reading import read_uploads

LIMITED_FIELDS = ("headline", "kicker", "subheadline", "reference")  # checked against the model's max_length
BATCH = Location("")  # a problem of the whole batch, not of one file


def plan_import(uploads, *, actor=None, issue_number=None, issue_date=None, page=None, progress=no_progress):
    """Everything the import would do, and every problem with it; writes nothing.

    ``progress(stage, done, total)`` is told how far it has got, for a progress bar.
    """
    plan = Plan(issue_number=issue_number, issue_date=issue_date)
    progress("读取文件", 0, len(uploads))
    items = read_uploads(uploads, plan, page=page)
    progress("读取文件", len(uploads), len(uploads))
    directory = Directory(plan.problems)
    topics = {topic.name: topic for topic in Topic.objects.all()}
    # Filled as names are resolved; written before the stories that name them.
    plan.new_bureaus, plan.people = directory.new_bureaus, directory.new_people
    if not items and not plan.photos:
        # Tables of correspondents or bureaus only: no issue involved.
        _plan_tables_of_people(plan, directory)
        return plan
    _place_in_issues(items, plan)
    _check_keys(items, plan)
    # Photos taken out of a page PDF go with their story, known by its reference from here on.
    plan.photos += [(item.reference, photo) for item in items for photo in item.photos if item.reference]
    existing = _existing_stories(items, plan)
    for number, item in enumerate(items, start=1):
        planned = _plan_story(item, directory, plan, actor, existing)
        planned.topics = _resolve_topics(item, topics, plan)
        plan.planned.append(planned)
        if number % 500 == 0 or number == len(items):
            progress("核对稿件", number, len(items))
    _join_continuations(plan)
    _decide_existing(plan, actor)
    _plan_photos(plan)
    _plan_tables_of_people(plan, directory)
    return plan


def _place_in_issues(items, plan):
    """Each story's issue: its row's 期号 and 出版日期, else the batch's (--issue and --date, or a bundle's).

    Sets each item's ``issue`` to its number and fills ``plan.issues``, matching the issues
    that exist and making the ones that do not (saved only when the plan is written).
    The batch's date goes with the batch's issue: --issue, or the one issue the rows name.
    """
    named = {item.issue for item in items if item.issue}
    default = plan.issue_number or (next(iter(named)) if len(named) == 1 else None)
    lacking = {}  # source -> items with no issue
    first = {}  # issue number -> its first item
    unreadable = {(problem.source, problem.line) for problem in plan.errors if problem.field == "issue"}
    for item in items:
        item.issue = item.issue or plan.issue_number
        if item.issue is not None:
            first.setdefault(item.issue, item)
        elif (item.source, item.line) not in unreadable:  # a 期号 that could not be read is named already
            lacking.setdefault(item.source, []).append(item)
    for source, missing in lacking.items():
        more = f"；本文件共 {len(missing)} 篇没有期号" if len(missing) > 1 else ""
        plan.problems.error(
            Location(source, missing[0].line), "issue", f"没有期号：请填表格的“期号”列，或给出期号（--issue）{more}"
        )
    # number -> (date, where it is stated, field): the first statement; any other must agree.
    stated = {}
    if plan.issue_date is not None and default in first:
        stated[default] = (plan.issue_date, BATCH, "date")
    for item in items:
        if not item.issue_date or item.issue is None:
            continue
        date, at = datetime.date.fromisoformat(item.issue_date), Location(item.source, item.line)
        earlier = stated.setdefault(item.issue, (date, at, "issue_date"))
        if earlier[0] != date:
            plan.problems.error(
                at, "issue_date", f"第{item.issue}期的出版日期{_where(earlier[1])}是 {earlier[0]}，这里是 {date}"
            )
    existing = Issue.objects.in_bulk(list(first), field_name="number")
    for number, item in sorted(first.items()):
        date, at, field_name = stated.get(number, (None, Location(item.source, item.line), "issue_date"))
        issue = existing.get(number)
        if issue is None:
            if date is None:
                plan.problems.error(
                    at, field_name, f"第{number}期还不存在，请给出出版日期（表格的“出版日期”列，或 --date）"
                )
            issue = Issue(number=number, date=date)
        elif date is not None and date != issue.date:
            plan.problems.error(at, field_name, f"第{number}期已有，出版日期是 {issue.date}，不是 {date}")
        plan.issues[number] = issue


def _where(at):
    """Where a date was stated, for a message: 在stories.csv 第2行, or in the batch's options."""
    return f"在{at.source} 第{at.line}行" if at.source else "在批次选项（--date）中"


def _check_keys(items, plan):
    """Two rows with one reference, or one place on a page, are a mistake in the files."""
    seen = {}
    for item in items:
        if not item.reference and item.page:
            item.reference = f"{item.issue}-{item.page}-{item.position}" if item.issue and item.position else ""
        if not item.reference:
            continue
        if item.reference in seen:
            first = seen[item.reference]
            plan.problems.error(
                Location(item.source, item.line), "reference", f"编号“{item.reference}”与{first.where}重复"
            )
        else:
            seen[item.reference] = item


def _existing_stories(items, plan):
    references = [item.reference for item in items if item.reference]
    found = Story.objects.filter(reference__in=references).select_related("issue").prefetch_related("credits", "topics")
    return {story.reference: story for story in found}


def _plan_story(item, directory, plan, actor, existing):
    planned = Planned(item=item, issue=plan.issues.get(item.issue))
    at = Location(item.source, item.line)
    for name in LIMITED_FIELDS:
        value = getattr(item, name)
        limit = Story._meta.get_field(name).max_length
        if len(value) > limit:
            plan.problems.error(at, name, f"太长：{len(value)} 个字，最多 {limit} 个")
    bureau = None
    if item.bureau:
        bureau = directory.bureau(item.bureau, at, "bureau")
    elif item.dateline:
        bureau = directory.bureau(item.dateline, at, "dateline")
    region = None
    if item.region:
        region = directory.region(item.region)
        if region is None:
            plan.problems.error(at, "region", f"没有“{item.region}”这个地区（可用标识、全称或唯一的简称）")
    elif bureau is not None:
        region = bureau.region
    else:
        region = directory.region_in_text(item.kicker, item.headline)
        if region is None and item.kind == Story.Kind.PHOTO:
            region = directory.region_in_caption(story_body.plain_text(story_body.make(item.body)))
    if not item.body:
        plan.problems.error(at, "body", "正文不能为空")
    try:
        story_body.validate(story_body.make(item.body))
    except ValidationError as error:
        plan.problems.error(at, "body", "；".join(error.messages))
    planned.credits = [
        CreditInput(
            correspondent=directory.person(credit.name, credit.title, bureau, at),
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
    story = existing.get(item.reference)
    # A story already here keeps its state: the state a row names matters only to a story the batch makes.
    if story is None and not workflow.may_import_as(actor, planned.status):
        plan.problems.error(
            at,
            "state",
            f"您的角色不能以“{Story.Status(planned.status).label}”状态导入稿件"
            + ("（命令行导入请用 --user 指定有权限的用户）" if actor is None else ""),
        )
    if planned.status in (Story.Status.PUBLISHED, Story.Status.WITHDRAWN):
        when = item.published_at
        if when is None and planned.issue is not None and planned.issue.date:
            # A back issue's stories were published on the morning of its date.
            when = datetime.datetime.combine(planned.issue.date, datetime.time(6, 0))
        planned.published_at = _aware(when)
    planned.record = _plan_record(item, planned.status, at, plan)
    if story is not None:
        planned.story = story
        planned.action = Action.UPDATE  # until _decide_existing compares it
        if story.issue_id and planned.issue is not None and story.issue_id != planned.issue.pk:
            plan.problems.error(
                at, "reference", f"编号“{item.reference}”已是第{story.issue.number}期的稿件，不在第{item.issue}期"
            )
    return planned


def _resolve_topics(item, topics, plan):
    """The Topics a row's 专题 cell names, or None where the source has no such column.

    A name no topic has is an error, not a new topic: topics are the desk's to make (each is a page
    and a place in the navigation readers see), and a name mistyped in a table (两回 for 两会) would
    otherwise publish a topic of its own with one story in it. The importer fixes the cell, or an
    editor makes the topic first.
    """
    if item.topics is None:
        return None
    found = []
    for name in item.topics:
        topic = topics.get(name)
        if topic is None:
            known = "、".join(list(topics)[:8]) or "还没有专题"
            plan.problems.error(
                Location(item.source, item.line),
                "topics",
                f"没有名为“{name}”的专题（现有：{known}）。专题由编辑在后台“专题”中新建，请先建立或改正名称",
            )
        else:
            found.append(topic)
    return found


def _aware(when):
    return timezone.make_aware(when) if when is not None and timezone.is_naive(when) else when


def _plan_record(item, status, at, plan):
    """A withdrawn story's reason and a published story's correction note, as the workflow leaves them."""
    withdrawn, published = Story.Status.WITHDRAWN, Story.Status.PUBLISHED
    label = Story.Status(status).label
    if status == withdrawn and not item.withdrawn_reason:
        plan.problems.error(at, "withdrawn_reason", "已撤稿的稿件须写明撤稿原因")
    if item.withdrawn_reason and status != withdrawn:
        plan.problems.error(at, "withdrawn_reason", f"只有已撤稿的稿件才有撤稿原因，这篇是“{label}”")
    if (item.correction or item.corrected_at) and status not in (published, withdrawn):
        plan.problems.error(at, "correction", f"只有发布过的稿件才有更正，这篇是“{label}”")
    elif bool(item.correction) != bool(item.corrected_at):
        missing = "corrected_at" if item.correction else "correction"
        plan.problems.error(at, missing, "更正说明和更正时间须一起给出")
    return {
        "correction": item.correction,
        "corrected_at": _aware(item.corrected_at),
        "withdrawn_reason": item.withdrawn_reason,
    }


def _differs_in_state(story, planned):
    """What of the workflow's a row says otherwise than the story here: its state, correction or reason.

    Only a row that names a state speaks for the workflow; a page text does not.
    """
    if not planned.item.status:
        return []
    names = []
    if story.status != planned.status:
        names.append(f"状态（这里是“{story.get_status_display()}”）")
    if (story.correction, story.corrected_at) != (planned.record["correction"], planned.record["corrected_at"]):
        names.append("更正")
    if story.withdrawn_reason != planned.record["withdrawn_reason"]:
        names.append("撤稿原因")
    return names


def _decide_existing(plan, actor):
    """Unchanged or update, for stories the batch already knows by reference."""
    for planned in plan.planned:
        story = planned.story
        if planned.action != Action.UPDATE or story is None:
            continue
        planned.action = Action.UNCHANGED if _same(story, planned) else Action.UPDATE
        at = Location(planned.item.source, planned.item.line)
        differs = _differs_in_state(story, planned)
        if differs:
            plan.problems.warn(
                at, "state", f"与站内稿件的{'、'.join(differs)}不同：导入不改这些，请在后台用签发、撤稿或更正处理"
            )
        if planned.action == Action.UPDATE and actor is not None and not story_service.can_edit(actor, story):
            plan.problems.error(
                at, "reference", f"稿件“{story.headline}”（{story.get_status_display()}）不能由您的角色修改"
            )
        if planned.action == Action.UPDATE and actor is None and story.status == Story.Status.PUBLISHED:
            plan.problems.error(at, "reference", f"稿件“{story.headline}”已发布，须由总编在后台更正")
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
    if planned.topics is not None and {topic.pk for topic in planned.topics} != {
        topic.pk for topic in story.topics.all()
    }:
        return False
    stored = [(credit.correspondent_id, credit.title, credit.contribution) for credit in story.credits.all()]
    wanted = [(credit.correspondent.pk, credit.title, credit.contribution) for credit in effective_credits(planned)]
    return stored == wanted


def _join_continuations(plan):
    """A story marked 接X版 on page P joins the one on page X marked 转P版 of its issue: one story, parts in order."""
    by_place = {}
    for planned in plan.planned:
        if planned.item.continued_on_page and planned.action != Action.JOIN:
            place = (planned.item.issue, planned.item.page, planned.item.continued_on_page)
            by_place.setdefault(place, []).append(planned)
    for planned in plan.planned:
        item = planned.item
        if not item.continued_from_page or not item.page or planned.story is not None:
            continue
        candidates = by_place.get((item.issue, item.continued_from_page, item.page), [])
        target = _choose(candidates, item.headline, lambda candidate: candidate.item.headline)
        if target is not None:
            planned.action, planned.target = Action.JOIN, target
            target.joined.append(planned)
            continue
        if planned.issue is None or planned.issue.pk is None:
            continue
        stories = Story.objects.filter(
            issue=planned.issue, page=item.continued_from_page, continued_on_page=item.page
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
        at = Location(photo.source, photo.line)
        planned = by_reference.get(reference)
        if planned is None:
            plan.problems.error(at, "reference", f"没有编号为“{reference}”的稿件")
            continue
        if photo.file not in plan.images:
            plan.problems.error(at, "file", f"找不到图片文件“{photo.file}”")
            continue
        try:
            # Checked now, so a bad photo shows in the preview and stops the batch before anything is written.
            images.open_upload(ContentFile(plan.images[photo.file], name=photo.file.rsplit("/", 1)[-1]))
        except ValidationError as error:
            plan.problems.error(at, "file", "；".join(error.messages))
            continue
        if planned.story is not None and _has_photo(planned.story, photo, plan.images[photo.file]):
            continue  # the story here has it already: a bundle imported again adds no copy
        if planned.action == Action.UNCHANGED:
            planned.action = Action.UPDATE
        photos.append((planned, photo))
    plan.photos = photos


def _has_photo(story, photo, data):
    """Whether ``story`` has this photo already: the same picture, caption and photographer."""
    digest = hashlib.sha256(data).digest()
    for existing in story.photos.select_related("photographer"):
        photographer = existing.photographer.name if existing.photographer_id else ""
        if (existing.caption, photographer) != (photo.caption, photo.photographer):
            continue
        with existing.image.open("rb") as handle:
            if hashlib.sha256(handle.read()).digest() == digest:
                return True
    return False


def _plan_tables_of_people(plan, directory):
    """Resolve and check the rows of people and bureau tables now, so the preview shows their problems."""
    for row in plan.correspondent_rows:
        at = Location(row.source, row.line)
        row.resolved_bureau = directory.bureau(row.bureau, at, "bureau") if row.bureau else None
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
                for message in messages:
                    plan.problems.error(at, name, message)
    for row in plan.bureau_rows:
        row.resolved_region = directory.region(row.region)
        if row.resolved_region is None:
            plan.problems.error(Location(row.source, row.line), "region", f"没有“{row.region}”这个地区")
