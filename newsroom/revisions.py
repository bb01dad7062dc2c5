"""Versions of a story: its headline, body, credits and photos at every save.

django-reversion keeps them. Only content is read back from a version:
restoring goes through the stories service and never touches the workflow
status, so an old version cannot un-publish or publish anything.
"""

import difflib
from dataclasses import dataclass

import reversion
from reversion.models import Version

from newsroom.models import STORY_CONTENT_FIELDS, Credit, Photo, Story

# What a version restores: the content an editor edits, and where a continuation begins.
CONTENT_FIELDS = (*STORY_CONTENT_FIELDS, "continuation_start")


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
    fields = {name: value for name, value in version.field_dict.items() if name in CONTENT_FIELDS}
    related = version.revision.version_set.all()
    credits = sorted(
        (Credit(**item.field_dict) for item in related if item.content_type.model_class() is Credit),
        key=lambda credit: credit.position,
    )
    photos = sorted(
        (Photo(**item.field_dict) for item in related if item.content_type.model_class() is Photo),
        key=lambda photo: photo.position,
    )
    return Snapshot(fields=fields, credits=credits, photos=photos)


def as_lines(snap):
    """A version as labelled lines of text, for comparing two of them."""
    from newsroom import body as story_body

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
    lines += ["正文："] + story_body.to_editable(fields.get("body") or []).split("\n\n")
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
