"""An issue as a bundle: the manifest, the stories and photos as tables, the pages as text, the photos."""

import csv
import io
import posixpath
import re

from newsroom.exports import safe_cell
from newsroom.models import Story
from newsroom.services.stories import give_references

from .bundle import write_bundle
from .writer import PHOTO_HEADER, STORY_HEADER, page_text, story_row

# Characters Windows will not have in a file name, control characters, and spaces and dots that end one.
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]|[. ]+$')


def issue_stories(issue, user=None):
    """Every story of the issue, withdrawn ones too (with their reason), page by page, with what the tables need.

    With ``user``, only the stories they may read (no colleague's draft: ``readable_by``); without,
    every one: the site's operator exporting on the command line.
    """
    stories = Story.objects.all() if user is None else Story.objects.readable_by(user)
    return list(
        stories.filter(issue=issue)
        .select_related("bureau__region", "region", "issue")
        .prefetch_related("credits__correspondent", "photos__photographer", "topics")
        .order_by("page", "position", "pk")
    )


def bundle_cell(cell):
    """A cell guarded against formulas; one that starts with a quote gets another, which reading takes off again."""
    if isinstance(cell, str) and cell.startswith("'"):
        return "'" + cell
    return safe_cell(cell)


def table(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([bundle_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def photo_name(reference, number, extension, *, taken):
    """``photos/demo-key-1.jpg``: the reference with what Windows refuses in a file name (``:`` and kin) as ``-``."""
    stem = UNSAFE_IN_NAMES.sub("-", reference)
    name = f"photos/{stem}-{number}{extension}"
    suffix = 1
    while name in taken:  # two references that differ only where a character was replaced
        suffix += 1
        name = f"photos/{stem}-{number}-{suffix}{extension}"
    return name


def export_issue(issue, user=None):
    """The issue's bundle; with ``user``, only what that member of staff may read (``issue_stories``)."""
    stories = issue_stories(issue, user)
    give_references(issue, stories)
    # Photo originals as the staff view serves them: to those who may see photos, of stories they may see.
    with_photos = user is None or user.has_perm("newsroom.view_photo")
    photo_rows, images = [], {}
    for story in stories if with_photos else ():
        for number, photo in enumerate(story.photos.all(), start=1):
            extension = posixpath.splitext(photo.image.name)[1] or ".jpg"
            name = photo_name(story.reference, number, extension, taken=images)
            with photo.image.open("rb") as handle:
                images[name] = handle.read()
            photographer = photo.photographer.name if photo.photographer_id else ""
            photo_rows.append([story.reference, name, photo.caption, photo.alt, photographer, photo.photographer_title])
    # The issue's pages and the pages its stories are on, which an import makes where missing.
    names = {page.number: page.name for page in issue.pages.all()}
    pages = sorted({story.page for story in stories if story.page} | set(names))
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
        pages=[{"number": number, "name": names.get(number, "")} for number in pages],
        tables=tables,
        page_texts=page_texts,
        images=images,
    )
