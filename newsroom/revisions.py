"""Versions of a story: its headline, body, credits and photos at every save.

django-reversion keeps them. Only content is read back from a version:
restoring goes through the stories service and never touches the workflow
status, so an old version cannot un-publish or publish anything.
"""

import difflib
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from reversion.models import Revision, Version

from newsroom import body as story_body
from newsroom.models import STORY_CONTENT_FIELDS, Credit, Photo, Story

# What a version restores: the content an editor edits, and where a continuation begins.
CONTENT_FIELDS = (*STORY_CONTENT_FIELDS, "continuation_start")
CONTENT_ATTNAMES = {name: Story._meta.get_field(name).attname for name in CONTENT_FIELDS}


def register_models():
    reversion.register(Story, follow=["credits", "photos"])
    reversion.register(Credit)
    reversion.register(Photo)


def versions_of(story):
    """Newest first, with who saved them and when."""
    return Version.objects.get_for_object(story).select_related("revision__user")


@dataclass
class Snapshot:
    """What a version holds, in the shape the public page reads."""

    fields: dict
    credits: list
    photos: list


def snapshot(version):
    return _snapshot(version, version.revision.version_set.all())


def snapshots(pks):
    """{version pk: ``snapshot``} for the versions ``pks``, in one query whatever their number."""
    related, versions = {}, {}
    in_revisions = Version.objects.filter(pk__in=pks).values("revision")
    for item in Version.objects.filter(revision__in=in_revisions).select_related("content_type"):
        related.setdefault(item.revision_id, []).append(item)
        versions[item.pk] = item
    return {pk: _snapshot(versions[pk], related[versions[pk].revision_id]) for pk in pks}


def _snapshot(version, related):
    # Reversion keys a foreign key by its column (``bureau_id``); a snapshot by the field's name.
    stored = version.field_dict
    fields = {name: stored[attname] for name, attname in CONTENT_ATTNAMES.items() if attname in stored}
    credits = sorted(
        (Credit(**item.field_dict) for item in related if item.content_type.model_class() is Credit),
        key=lambda credit: credit.position,
    )
    photos = sorted(
        (Photo(**item.field_dict) for item in related if item.content_type.model_class() is Photo),
        key=lambda photo: photo.position,
    )
    return Snapshot(fields=fields, credits=credits, photos=photos)


def keep_versions(stories, *, user, comment):
    """A version of each story as it is now, with its credits and photos, each in a revision of its own.

    What ``reversion.create_revision()`` around each story's save keeps, written in a few
    queries for thousands of stories (an import undone). ``stories`` come with their
    ``credits`` and ``photos`` prefetched.
    """
    now = timezone.now()
    made = Revision.objects.bulk_create(
        [Revision(date_created=now, user=user, comment=comment) for _ in stories], batch_size=1000
    )
    versions = [
        Version(
            revision=revision,
            object_id=str(obj.pk),
            content_type=ContentType.objects.get_for_model(obj),
            db=DEFAULT_DB_ALIAS,
            format="json",
            serialized_data=serializers.serialize("json", [obj]),
            object_repr=str(obj),
        )
        for revision, story in zip(made, stories, strict=True)
        for obj in [story, *story.credits.all(), *story.photos.all()]
    ]
    Version.objects.bulk_create(versions, batch_size=1000)


def as_lines(snap):
    """A version as labelled lines of text, for comparing two of them."""
    fields = snap.fields
    lines = [
        f"引题：{fields.get('kicker') or ''}",
        f"标题：{fields.get('headline') or ''}",
        f"副题：{fields.get('subheadline') or ''}",
    ]
    lines += [
        f"署名：{credit.title} {credit.correspondent.name}（{credit.get_contribution_display()}）".replace("  ", " ")
        for credit in snap.credits
    ]
    lines += [f"图片：{photo.caption}" for photo in snap.photos]
    # A line a block, and a table a line a row: a changed cell shows as its row changed.
    lines += ["正文："] + [
        line for block in story_body.blocks(fields.get("body")) for line in story_body.block_lines(block)
    ]
    return lines


def compare(older, newer):
    """Rows of (kind, older line, newer line) where kind is equal, changed, removed or added."""
    a, b = as_lines(snapshot(older)), as_lines(snapshot(newer))
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [("equal", line, line) for line in a[i1:i2]]
        elif tag == "replace":
            left, right = a[i1:i2], b[j1:j2]
            for index in range(max(len(left), len(right))):
                rows.append(
                    (
                        "changed",
                        left[index] if index < len(left) else "",
                        right[index] if index < len(right) else "",
                    )
                )
        elif tag == "delete":
            rows += [("removed", line, "") for line in a[i1:i2]]
        else:
            rows += [("added", "", line) for line in b[j1:j2]]
    return rows
