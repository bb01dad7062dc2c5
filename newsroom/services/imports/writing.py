"""Writing: a plan with no errors written in one transaction and recorded as a batch."""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from newsroom import content
from newsroom.models import Bureau, Correspondent, Credit, ImportBatch, ImportedStory, Issue, Page, Story
from newsroom.revisions import versions_of

from .. import pages as page_services
from .. import photos as photo_services
from .. import stories as story_service
from .. import topics as topic_service
from .. import workflow
from .directory import title_choice
from .plan import Action, effective_credits, effective_values, no_progress
from .resolving import plan_import
from .undo import note_imported


def batch_of_upload(upload):
    """The batch already made from the upload named ``upload``, if any."""
    return ImportBatch.objects.filter(upload=upload).first() if upload else None


@transaction.atomic
def apply_import(plan, *, actor=None, progress=no_progress, upload=None):
    """Write a plan with no errors; returns the recorded batch.

    ``upload`` names the upload the plan was read from: an upload makes one
    batch only, so a second run of the same import writes nothing (the database refuses).
    """
    if plan.errors:
        raise ValidationError("导入有错误，未写入任何内容。")
    if actor is not None and not actor.has_perm("newsroom.import_bulletin"):
        raise PermissionDenied("您的角色不能批量导入。")
    Issue.objects.bulk_create(issue for issue in plan.issues.values() if issue.pk is None)
    _ensure_pages(plan)
    Bureau.objects.bulk_create(plan.new_bureaus.values())
    _write_people_tables(plan)
    Correspondent.objects.bulk_create(person for person in plan.people.values() if person.pk is None)

    batch = ImportBatch.objects.create(created_by=actor, issue=plan.issue, files=plan.files, upload=upload)
    batch.issues.set(plan.issues.values())
    total = len(plan.planned)
    progress("写入稿件", 0, total)
    created = _create_stories(plan, actor, batch, progress)
    updated = _update_stories(plan, actor, batch, progress, done=created)
    progress("写入稿件", total, total)
    if plan.photos:
        progress("写入图片", 0, len(plan.photos))
        _add_photos(plan)
        progress("写入图片", len(plan.photos), len(plan.photos))
    if plan.printed:
        progress("保存版面", 0, len(plan.printed))
        page_services.store_printed(plan, batch)
        progress("保存版面", len(plan.printed), len(plan.printed))
    note_imported(batch)
    batch.created_count = created
    batch.updated_count = updated
    batch.unchanged_count = plan.count(Action.UNCHANGED)
    batch.save(update_fields=["created_count", "updated_count", "unchanged_count"])
    # Names of bureaus and people, and published back issues, may show on readers' pages.
    content.changed()
    return batch


def _ensure_pages(plan):
    """The pages each issue's stories are on, and a bundle's named pages, made where missing.

    A page's editor in charge, read from its editors' line, is written on a page made here and
    on one that had none; an editor already recorded is left as it is.
    """
    batch_issue = plan.issue_number if plan.issue_number in plan.issues else None
    names = {(batch_issue, number): name for number, name in plan.pages.items() if batch_issue}
    editors = {(batch_issue, number): editor for number, editor in plan.editors.items() if batch_issue}
    wanted = set(names) | {(planned.item.issue, planned.item.page) for planned in plan.planned if planned.item.page}
    existing = set(Page.objects.filter(issue__in=plan.issues.values()).values_list("issue__number", "number"))
    Page.objects.bulk_create(
        Page(
            issue=plan.issues[issue],
            number=number,
            name=names.get((issue, number), ""),
            editor=editors.get((issue, number), ""),
        )
        for issue, number in sorted(wanted - existing)
    )
    for (issue, number), editor in editors.items():
        if (issue, number) in existing:
            Page.objects.filter(issue=plan.issues[issue], number=number, editor="").update(editor=editor)


def _write_people_tables(plan):
    for row in plan.bureau_rows:
        Bureau.objects.update_or_create(region=row.resolved_region, defaults={"active": row.active})
    for row in plan.correspondent_rows:
        Correspondent.objects.update_or_create(
            name=row.name,
            unit=row.unit,
            defaults={
                "title": title_choice(row.title),
                "bureau": row.resolved_bureau,
                "phone": row.phone,
                "email": row.email,
                "active": row.active,
            },
        )


def _create_stories(plan, actor, batch, progress):
    fresh = [planned for planned in plan.planned if planned.action == Action.NEW]
    stories = []
    for planned in fresh:
        story = Story(**effective_values(planned), **planned.record, issue=planned.issue, created_by=actor)
        story.search_text = story.compose_search_text(
            [credit.correspondent.name for credit in effective_credits(planned)]
        )
        story.char_count = story.count_characters()
        story.updated_at = story.created_at = timezone.now()
        planned.story = story
        stories.append(story)
    for start in range(0, len(stories), 1000):
        Story.objects.bulk_create(stories[start : start + 1000])
        progress("写入稿件", start + len(stories[start : start + 1000]), len(plan.planned))
    progress("登记署名和流程", 0, 1)
    credits = []
    for planned in fresh:
        credits += _credit_rows(planned.story, effective_credits(planned))
    Credit.objects.bulk_create(credits, batch_size=2000)
    in_topics = [
        Story.topics.through(story=planned.story, topic=topic) for planned in fresh for topic in planned.topics or ()
    ]
    Story.topics.through.objects.bulk_create(in_topics, batch_size=2000)
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


def _credit_rows(story, credits):
    """The rows ``stories.set_credits`` writes, made for one bulk insert across the batch."""
    return [
        Credit(
            story=story,
            correspondent=credit.correspondent,
            title=credit.correspondent.title if credit.title is None else credit.title,
            contribution=credit.contribution,
            position=position,
        )
        for position, credit in enumerate(credits)
    ]


def _update_stories(plan, actor, batch, progress, done):
    updated = 0
    for planned in plan.planned:
        if planned.action == Action.UPDATE or (planned.action == Action.JOIN and planned.story is not None):
            progress("写入稿件", done + updated, len(plan.planned))
            story = Story.objects.get(pk=planned.story.pk)
            previous = _current_version(story)
            before = story.updated_at
            if planned.action == Action.JOIN:
                start = story.continuation_start if story.continuation_start is not None else len(story.body)
                fields = {"body": story.body[:start] + planned.values["body"], "continued_on_page": planned.item.page}
                story.continuation_start = start
                credits = None
            else:
                fields = {name: value for name, value in effective_values(planned).items() if name != "reference"}
                story.continuation_start = fields.pop("continuation_start")
                credits = effective_credits(planned)
            story_service.update_story(story, actor=actor, credits=credits, comment=f"导入批次 #{batch.pk}", **fields)
            if planned.action == Action.UPDATE and planned.topics is not None:
                # The table's own word on the story's topics (an import is not an editor choosing them).
                topic_service.set_topics(story, planned.topics, actor=None)
            ImportedStory.objects.create(
                batch=batch,
                story=story,
                action=ImportedStory.Action.UPDATED,
                previous_version=previous,
                updated_at_before=before,
            )
            updated += 1
    return updated


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
    title = photo.photographer_title
    if title is None and person is not None:
        # As the story's photo credit prints the photographer (a bare name too), else the person's title.
        credited = planned.story.credits.filter(correspondent=person, contribution=Credit.Contribution.PHOTO).first()
        title = credited.title if credited is not None else None
    photo_services.add_photo(
        planned.story,
        upload=ContentFile(plan.images[photo.file], name=photo.file.rsplit("/", 1)[-1]),
        caption=photo.caption,
        alt=photo.alt or photo.caption[:100],
        photographer=person,
        photographer_title=title,
    )


def import_bulletin(
    uploads,
    *,
    actor=None,
    issue_number=None,
    issue_date=None,
    page=None,
    dry_run=False,
    progress=no_progress,
    upload=None,
    page_images_now=False,
):
    """Plan and, unless ``dry_run`` or the plan has errors, apply. Returns (plan, batch or None).

    The images of the printed pages it stored are made by a worker, or here and now with
    ``page_images_now`` (a caller that is a worker already, or a command), once the batch is written.
    """
    plan = plan_import(
        uploads, actor=actor, issue_number=issue_number, issue_date=issue_date, page=page, progress=progress
    )
    if dry_run or plan.errors:
        return plan, None
    batch = apply_import(plan, actor=actor, progress=progress, upload=upload)
    draw_pages(batch, now=page_images_now, progress=progress)
    return plan, batch


def draw_pages(batch, *, now, progress=no_progress):
    """The images of the pages ``batch`` stored a PDF for: made now, or queued for a worker."""
    pages = list(Page.objects.filter(pk__in=[entry["page"] for entry in batch.printed.get("pages", [])]))
    if not now:
        page_services.queue_images(pages)
        return
    for done, page in enumerate(pages):
        progress("生成版面图", done, len(pages))
        page_services.ensure_images(page)
    if pages:
        progress("生成版面图", len(pages), len(pages))
        content.changed()
