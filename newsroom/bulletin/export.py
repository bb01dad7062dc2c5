"""An issue as a bundle: the manifest, the stories and photos as tables, the pages as text, the photos."""

import csv
import io
import posixpath

from newsroom.exports import safe_cell
from newsroom.models import Story

from .bundle import write_bundle
from .writer import PHOTO_HEADER, STORY_HEADER, page_text, story_row


def issue_stories(issue, user=None):
    """Every story of the issue but withdrawn ones, page by page, with what the tables need.

    With ``user``, only the stories they may read (no colleague's draft: ``readable_by``); without,
    every one: the site's operator exporting on the command line.
    """
    stories = Story.objects.all() if user is None else Story.objects.readable_by(user)
    return list(
        stories.filter(issue=issue)
        .exclude(status=Story.Status.WITHDRAWN)
        .select_related("bureau__region", "region", "issue")
        .prefetch_related("credits__correspondent", "photos__photographer")
        .order_by("page", "position", "pk")
    )


def table(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def export_issue(issue, user=None):
    """The issue's bundle; with ``user``, only what that member of staff may read (``issue_stories``)."""
    stories = issue_stories(issue, user)
    # Photo originals as the staff view serves them: to those who may see photos, of stories they may see.
    with_photos = user is None or user.has_perm("newsroom.view_photo")
    for position, story in enumerate(stories, start=1):
        # Stories made in the admin have no reference yet: give them one the round trip keeps.
        story.reference = story.reference or f"{issue.number}-{story.page or 0}-{position}-{story.pk}"
    photo_rows, images = [], {}
    for story in stories if with_photos else ():
        for number, photo in enumerate(story.photos.all(), start=1):
            extension = posixpath.splitext(photo.image.name)[1] or ".jpg"
            name = f"photos/{story.reference}-{number}{extension}"
            with photo.image.open("rb") as handle:
                images[name] = handle.read()
            photographer = photo.photographer.name if photo.photographer_id else ""
            photo_rows.append([story.reference, name, photo.caption, photo.alt, photographer, photo.photographer_title])
    pages = sorted({story.page for story in stories if story.page} | {page.number for page in issue.pages.all()})
    page_texts = {}
    for number in pages:
        on_page = [s for s in stories if s.page == number or (s.continued_on_page == number and s.page != number)]
        if on_page:
            page_texts[f"page-{number}.txt"] = page_text(number, on_page)
    tables = {"stories.csv": table(STORY_HEADER, [story_row(story) for story in stories])}
    if photo_rows:
        tables["photos.csv"] = table(PHOTO_HEADER, photo_rows)
    return write_bundle(
        issue=issue.number,
        date=issue.date.isoformat(),
        pages=[{"number": page.number, "name": page.name} for page in issue.pages.order_by("number")],
        tables=tables,
        page_texts=page_texts,
        images=images,
    )
