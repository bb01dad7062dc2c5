"""Printed pages as files: a PDF split into its pages, and a page drawn as images.

PDFium (pypdfium2) does both: it splits without re-encoding anything, and draws text as
sharp as the page's fonts allow at any width. Nothing here touches the database or a
storage (``newsroom.services.pages`` does): bytes in, bytes out.
"""

import base64
import hashlib
import io
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .images import FORMATS

# The widths readers' page images are made at: a phone, a desktop, and a zoom to read the small type.
PAGE_WIDTHS = (600, 1200, 2000)
PREVIEW_WIDTH = 320  # the import preview's small picture of each page

_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}")
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")


@dataclass(frozen=True)
class PageImageData:
    width: int
    height: int
    format: str
    data: bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def split_pdf(data: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own; a one-page PDF is kept byte for byte.

    PDFium writes a random file identifier and the present time into every file it saves;
    they are replaced by an identifier made from the page's source and by the source's own
    creation date, so splitting the same file twice gives the same bytes (the same checksum:
    an import run again stores nothing new).
    """
    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        if count == 1:
            return [data]
        pages = []
        for index in range(count):
            single = pdfium.PdfDocument.new()
            try:
                single.import_pages(document, [index])
                buffer = io.BytesIO()
                single.save(buffer)
            finally:
                single.close()
            fixed = _fixed_id(buffer.getvalue(), f"{sha256(data)}:{index}")
            pages.append(_fixed_date(fixed, _creation_digits(document)))
        return pages
    finally:
        document.close()


def _fixed_id(data: bytes, seed: str) -> bytes:
    """The file with its trailer's /ID (the last one) made from ``seed``: same length, so no offset moves."""
    found = list(_TRAILER_ID.finditer(data))
    if not found:
        return data
    match = found[-1]
    identifier = hashlib.md5(seed.encode(), usedforsecurity=False).hexdigest().upper().encode()
    return data[: match.start()] + b"/ID[<" + identifier + b"><" + identifier + b">]" + data[match.end() :]


def _creation_digits(document) -> bytes:
    """The source's creation date as 14 digits (YYYYMMDDhhmmss), or a fixed date when it has none."""
    found = re.match(r"D:(\d{14})", document.get_metadata_value("CreationDate") or "")
    return (found.group(1) if found else "20000101000000").encode()


def _fixed_date(data: bytes, digits: bytes) -> bytes:
    """Every ``/CreationDate(D:…`` and ``/ModDate(D:…`` with ``digits``: the same length, so no offset moves."""
    return _DATE.sub(lambda match: match.group(1) + digits, data)


@dataclass(frozen=True)
class PlacedImage:
    """A picture placed on a page: where (fractions of the page, origin top-left), and its bytes as embedded."""

    box: dict
    data: bytes


def placed_images(data: bytes) -> list[list[PlacedImage]]:
    """Each page's pictures, at full resolution: a JPEG as it was embedded (no loss), anything else as PNG."""
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            left, bottom, right, top = page.get_mediabox()
            width, height = right - left, top - bottom
            found = []
            for picture in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                x0, y0, x1, y1 = picture.get_bounds()
                buffer = io.BytesIO()
                try:
                    picture.extract(buffer, fb_format="png")
                except pdfium.PdfiumError:
                    continue  # a picture PDFium cannot decode stays on the page image only
                box = {
                    "x": (x0 - left) / width,
                    "y": (top - y1) / height,
                    "w": (x1 - x0) / width,
                    "h": (y1 - y0) / height,
                }
                found.append(PlacedImage(box, buffer.getvalue()))
            pages.append(found)
        return pages
    finally:
        document.close()


def overlap(one: dict, other: dict) -> float:
    """Intersection over union of two boxes given as fractions {"x", "y", "w", "h"}."""
    width = min(one["x"] + one["w"], other["x"] + other["w"]) - max(one["x"], other["x"])
    height = min(one["y"] + one["h"], other["y"] + other["h"]) - max(one["y"], other["y"])
    if width <= 0 or height <= 0:
        return 0.0
    shared = width * height
    return shared / (one["w"] * one["h"] + other["w"] * other["h"] - shared)


def single_page(data: bytes) -> bool:
    """Whether ``data`` is a PDF PDFium reads, of one page."""
    try:
        return page_count(data) == 1
    except pdfium.PdfiumError:
        return False


def page_count(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def render(data: bytes, widths=PAGE_WIDTHS, formats=FORMATS) -> list[PageImageData]:
    """The first page of ``data`` drawn at each width, in each format (WebP and JPEG)."""
    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        made = []
        for width in widths:
            image = _draw(page, width)
            made += [PageImageData(width, image.height, kind, _encode(image, kind)) for kind in formats]
        return made
    finally:
        document.close()


def _draw(page, width):
    # Text drawn with its own anti-aliasing and no hinting to the pixel grid: the sharpest small type.
    bitmap = page.render(scale=width / page.get_width(), may_draw_forms=False, no_smoothtext=False)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def _encode(image, kind):
    """A page image's bytes. WebP at its second effort level: a page at 2000 px in half the time of
    Pillow's default, for a file about the same size. The pixels are PDFium's drawing: there is no
    camera metadata to leave behind, as there is for photos (``images.encode``)."""
    buffer = io.BytesIO()
    if kind == "webp":
        image.save(buffer, "WEBP", quality=75, method=2)
    else:
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=image.width > 1000)
    return buffer.getvalue()


def preview_uri(data: bytes, width=PREVIEW_WIDTH) -> str:
    """A small JPEG of the first page of ``data`` as a ``data:`` address: the import preview keeps it in its report."""
    document = pdfium.PdfDocument(data)
    try:
        image = _draw(document[0], width)
    finally:
        document.close()
    return "data:image/jpeg;base64," + base64.b64encode(_encode(image, "jpeg")).decode()
