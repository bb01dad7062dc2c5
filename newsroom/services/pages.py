"""Writing printed pages: a page's PDF, its images, and where each story stands on it (zones).

An import stores what it read from a PDF here (``store_printed``) and notes what it changed
on its batch, so that its undo can take back exactly that (``undo_printed``) and no more:
a page whose PDF, or a story whose zones, someone changed since are left alone.

A page's PDF is kept under its checksum: the same page imported again writes no file and
no row. Its images are made once per PDF (``ensure_images``), by a background worker
(``make_page_images``) unless the caller is one already.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task

from newsroom import content, pageimages
from newsroom.bulletin.pdfpage import read_pdf
from newsroom.images import RENDITION_EXTENSIONS
from newsroom.models import Page, PageImage, Story, Zone

from . import photos as photo_services
from .stories import can_edit

ZONE_FIELDS = ("x", "y", "w", "h")
ZONE_DIGITS = 4  # a ten-thousandth of a broadsheet page is 0.05 mm; bundles write as many


def zone_values(zone):
    """A zone's rectangle as plain data, rounded as it is stored: {"x", "y", "w", "h"}."""
    return {
        name: round(float(zone[name] if isinstance(zone, dict) else getattr(zone, name)), ZONE_DIGITS)
        for name in ZONE_FIELDS
    }


def zones_on(story, page):
    """The story's zones on ``page``, in order, as plain data."""
    return [zone_values(zone) for zone in Zone.objects.filter(story=story, page=page).order_by("position", "pk")]


def set_zones(story, page, zones):
    """Replace the story's zones on ``page`` with ``zones`` (its zones on other pages stay).

    Returns the zones it had there before, or None when they were the same already (nothing written).
    """
    wanted = [zone_values(zone) for zone in zones]
    before = zones_on(story, page)
    if before == wanted:
        return None
    rows = [Zone(story=story, page=page, position=position, **values) for position, values in enumerate(wanted)]
    for row in rows:
        row.full_clean(exclude=["story", "page"])
    with transaction.atomic():
        Zone.objects.filter(story=story, page=page).delete()
        Zone.objects.bulk_create(rows)
    return before


def check_zone_editor(user, story):
    """Only who may edit a story may move its zones."""
    if not can_edit(user, story):
        raise PermissionDenied("您的角色不能修改这篇稿件的版面区域。")


@transaction.atomic
def save_zone(zone, *, actor):
    """Save a zone corrected by hand (the admin), checked; readers' pages change with it."""
    check_zone_editor(actor, Story.objects.get(pk=zone.story_id))  # as it is now, not as the caller read it
    zone.full_clean()
    zone.save()
    content.changed()
    return zone


@transaction.atomic
def delete_zone(zone, *, actor):
    check_zone_editor(actor, Story.objects.get(pk=zone.story_id))
    zone.delete()
    content.changed()


def store_pdf(page, data):
    """Keep ``data`` as the page's PDF; returns (name, checksum) it had before, or None if it is the same PDF.

    The file it replaces is not deleted: an undo of the import gives it back.
    """
    digest = pageimages.sha256(data)
    if page.pdf_sha256 == digest and page.pdf:
        return None
    if pageimages.page_count(data) != 1:
        raise ValidationError(f"{page} 的 PDF 应只有一页。")
    before = (page.pdf.name if page.pdf else "", page.pdf_sha256)
    photo_services.store_file(page.pdf, f"{digest[:32]}.pdf", data)
    page.pdf_sha256 = digest
    page.save(update_fields=["pdf", "pdf_sha256"])
    return before


def store_printed(plan, batch):
    """Write what a batch read from PDFs: each page's PDF, each story's zones; noted on ``batch.printed``.

    A story's zones replace its zones on the same page only: a continuation's part adds its
    zones on its own page to the zones the first part has on the other.
    """
    issue = plan.issues.get(plan.issue_number)
    if issue is None:
        return []
    pages = {page.number: page for page in Page.objects.filter(issue=issue)}
    changed_pages, changed_zones = [], []
    for printed in plan.printed:
        page = pages.get(printed.number) or Page.objects.create(issue=issue, number=printed.number)
        before = store_pdf(page, printed.data)
        if before is not None:
            changed_pages.append(
                {"page": page.pk, "pdf": page.pdf.name, "sha256": page.pdf_sha256, "before": list(before)}
            )
    for planned in plan.planned:
        story = _story_of(planned)
        if story is None or not planned.item.zones:
            continue
        by_page = {}
        for zone in planned.item.zones:
            by_page.setdefault(zone["page"], []).append(zone)
        for number, zones in by_page.items():
            page = pages.get(number)
            if page is None:
                continue
            before = set_zones(story, page, zones)
            if before is not None:
                after = [zone_values(zone) for zone in zones]
                changed_zones.append({"story": story.pk, "page": page.pk, "before": before, "after": after})
    batch.printed = {"pages": changed_pages, "zones": changed_zones}
    batch.save(update_fields=["printed"])


def attach_printed(issue, data, stories, *, source="printed.pdf"):
    """Give an issue whose stories are in already its printed pages: each page's PDF, and the stories' zones.

    The PDF is read as an import reads it; each story read is matched to one of ``stories`` by its
    page and headline (a continuation's part on its own page too). Returns the pages whose PDF changed.
    """
    readings = read_pdf(data, source=source)
    singles = pageimages.split_pdf(data)
    changed = []
    for reading in readings:
        number = reading.page_number or reading.index
        page, _ = Page.objects.get_or_create(issue=issue, number=number)
        if store_pdf(page, singles[reading.index - 1]) is not None:
            changed.append(page)
        for item, zones in zip(reading.items, reading.zones, strict=True):
            story = next(
                (
                    story
                    for story in stories
                    if story.headline == item.headline and number in (story.page, story.continued_on_page)
                ),
                None,
            )
            if story is not None:
                set_zones(story, page, zones)
    return changed


def _story_of(planned):
    """The story a planned item's zones belong to: a continuation's are its first part's."""
    if planned.target is not None:
        return planned.target.story
    return planned.story


def undo_printed(batch, restored):
    """Take back what ``batch`` wrote of printed pages, where nobody changed it since.

    ``restored``: the stories the undo gave their earlier version; their zones go back too,
    if they are still as the batch left them. (Stories the batch created go with their zones.)
    A page's PDF goes back to the one it had, if it is still the batch's.
    """
    printed = batch.printed or {}
    for entry in printed.get("zones", []):
        if entry["story"] not in restored:
            continue
        story, page = Story.objects.filter(pk=entry["story"]).first(), Page.objects.filter(pk=entry["page"]).first()
        if story is not None and page is not None and zones_on(story, page) == entry["after"]:
            set_zones(story, page, entry["before"])
    for entry in printed.get("pages", []):
        page = Page.objects.filter(pk=entry["page"]).first()
        if page is None or page.pdf_sha256 != entry["sha256"]:
            continue
        name, digest = entry["before"]
        _drop_images(page)
        files = [(page.pdf.storage, page.pdf.name)] if page.pdf.name != name else []
        page.pdf.name, page.pdf_sha256 = name, digest
        page.save(update_fields=["pdf", "pdf_sha256"])
        transaction.on_commit(partial(photo_services.delete_files, files))
        if name:
            _queue_images(page)


def _drop_images(page, keep=None):
    """Delete the page's images not made from the PDF ``keep`` (all, without one); files once committed."""
    stale = page.images.all() if keep is None else page.images.exclude(source=keep)
    files = [(image.file.storage, image.file.name) for image in stale]
    stale.delete()
    transaction.on_commit(partial(photo_services.delete_files, files))


def missing_images(page):
    """(width, format) of every image the page's present PDF should have and has not."""
    have = set(page.images.filter(source=page.pdf_sha256).values_list("width", "format"))
    return [
        (width, kind)
        for width in pageimages.PAGE_WIDTHS
        for kind in PageImage.Format.values
        if (width, kind) not in have
    ]


def ensure_images(page):
    """Make the images the page's PDF lacks (none when all are made); returns the images made."""
    if not page.pdf:
        _drop_images(page)
        return []
    _drop_images(page, keep=page.pdf_sha256)
    missing = missing_images(page)
    if not missing:
        return []
    with page.pdf.open("rb") as handle:
        data = handle.read()
    made = []
    with photo_services.all_or_nothing():
        for drawn in pageimages.render(data, widths=sorted({width for width, _ in missing})):
            if (drawn.width, drawn.format) in missing:
                image = _save_image(page, drawn)
                if image is not None:
                    made.append(image)
    return made


def _save_image(page, drawn):
    image = PageImage(
        page=page,
        source=page.pdf_sha256,
        width=drawn.width,
        height=drawn.height,
        format=drawn.format,
        filesize=len(drawn.data),
    )
    name = f"{page.pdf_sha256[:32]}-{drawn.width}w.{RENDITION_EXTENSIONS[drawn.format]}"
    photo_services.store_file(image.file, name, drawn.data)
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        # Another worker made it meanwhile: keep theirs.
        image.file.storage.delete(image.file.name)
        return None
    return image


def queue_images(pages):
    """Have a worker make the pages' images once the present transaction commits."""
    for page in pages:
        _queue_images(page)


def _queue_images(page):
    transaction.on_commit(partial(make_page_images.enqueue, page.pk))


@task
def make_page_images(page_id):
    """A page's images, made by a worker; the pages that show them change with them."""
    page = Page.objects.filter(pk=page_id).first()
    if page is not None and ensure_images(page):
        content.changed()
