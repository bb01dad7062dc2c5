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
        .prefetch_related("credits__correspondent", "photos__photographer", "zones__page", "topics")
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
    editors = {page.number: page.editor for page in issue.pages.all() if page.editor}
    pages = sorted({story.page for story in stories if story.page} | set(names))
    page_texts = {}
    for number in pages:
        on_page = [s for s in stories if s.page == number or (s.continued_on_page == number and s.page != number)]
        if on_page:
            page_texts[f"page-{number}.txt"] = page_text(number, on_page)
    printed = printed_pages(issue, stories)
    tables = {"stories.csv": table(STORY_HEADER, [story_row(story) for story in stories])}
    if photo_rows:
        tables["photos.csv"] = table(PHOTO_HEADER, photo_rows)
    return write_bundle(
        issue=issue.number,
        date=issue.date.isoformat(),
        # A page's 责任编辑 where one is known, and its PDF and zones where it was printed from one:
        # a bundle without them reads as before.
        pages=[
            {
                "number": number,
                "name": names.get(number, ""),
                **({"editor": editors[number]} if number in editors else {}),
                **printed.get(number, {}),
            }
            for number in pages
        ],
        tables=tables,
        page_texts=page_texts,
        images=images,
        files={entry["pdf"]: data for entry, data in printed_files(issue, printed)},
    )


def printed_pages(issue, stories):
    """Each printed page's entry in the manifest: its PDF's name in the bundle, and its stories' zones.

    Zones are written with 4 decimals (a tenth of a millimetre on a broadsheet), in the order of the
    stories and of each story's zones, so the same issue always writes the same manifest.
    """
    entries = {
        page.number: {"pdf": f"pages/page-{page.number}.pdf", "zones": []} for page in issue.pages.all() if page.pdf
    }
    for story in stories:
        for zone in sorted(story.zones.all(), key=lambda zone: (zone.page.number, zone.position, zone.pk)):
            entry = entries.setdefault(zone.page.number, {"zones": []})
            entry["zones"].append(
                {"reference": story.reference, **{name: round(getattr(zone, name), 4) for name in "xywh"}}
            )
    return entries


def printed_files(issue, printed):
    for page in issue.pages.all():
        entry = printed.get(page.number, {})
        if page.pdf and "pdf" in entry:
            with page.pdf.open("rb") as handle:
                yield entry, handle.read()
