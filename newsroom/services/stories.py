"""Writing stories: their fields, credits and photos, in one transaction.

The workflow status is not written here: ``newsroom.services.workflow`` owns it.
"""

from dataclasses import dataclass

from django.db import transaction

from newsroom.models import Credit, Photo, Story

EDITABLE_FIELDS = (
    "kind",
    "reference",
    "kicker",
    "headline",
    "subheadline",
    "bureau",
    "region",
    "event_date",
    "issue",
    "page",
    "position",
    "continued_from_page",
    "continued_on_page",
    "body",
)


@dataclass
class CreditInput:
    correspondent: object
    contribution: str = Credit.Contribution.TEXT
    # None takes the correspondent's present title; "" prints the name alone, as in "(李岩)".
    title: str | None = None


@dataclass
class PhotoInput:
    image: object
    caption: str
    alt: str
    photographer: object = None
    photographer_title: str | None = None


@transaction.atomic
def create_story(*, created_by=None, credits=(), photos=(), **fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"create_story() got unknown fields: {', '.join(sorted(unknown))}")
    story = Story(created_by=created_by, **fields)
    story.full_clean()
    story.save()
    set_credits(story, credits)
    add_photos(story, photos)
    return story


@transaction.atomic
def update_story(story, **fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_story() got unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(story, name, value)
    story.full_clean()
    story.save()
    return story


def set_credits(story, credits):
    """Replace the story's credits with ``credits``, in that order."""
    story.credits.all().delete()
    rows = []
    for position, credit in enumerate(credits):
        title = credit.correspondent.title if credit.title is None else credit.title
        row = Credit(
            story=story,
            correspondent=credit.correspondent,
            title=title,
            contribution=credit.contribution,
            position=position,
        )
        row.full_clean(exclude=["story"])
        rows.append(row)
    Credit.objects.bulk_create(rows)


def add_photos(story, photos):
    start = story.photos.count()
    for offset, photo in enumerate(photos):
        title = ""
        if photo.photographer is not None:
            title = photo.photographer.title if photo.photographer_title is None else photo.photographer_title
        row = Photo(
            story=story,
            image=photo.image,
            caption=photo.caption,
            alt=photo.alt,
            photographer=photo.photographer,
            photographer_title=title,
            position=start + offset,
        )
        row.full_clean(exclude=["story"])
        row.save()
