"""Reading: the uploaded files turned into story items, table rows and images."""

import datetime
import hashlib
import re

from newsroom.bulletin.bundle import MANIFEST, read_bundle
from newsroom.bulletin.items import PhotoItem, items_from_page
from newsroom.bulletin.limits import max_bundle_bytes, max_file_bytes
from newsroom.bulletin.pagetext import parse_page
from newsroom.bulletin.pdfpage import read_pdf
from newsroom.bulletin.tables import read_table
from newsroom.bulletin.textfile import BulletinFileError, decode_text
from newsroom.images import EXTENSIONS, stored_format
from newsroom.pageimages import overlap, placed_images, single_page, split_pdf

from .plan import Location, PrintedPage

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".json")
TEXT_SUFFIXES = (".txt",)
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def read_uploads(uploads, plan, *, page=None):
    """Turn the files into story items, table rows and images, noting every problem."""
    items = []
    # --page numbers the page of the only page file (a PDF's first page); other pages go by name or folio.
    texts = [upload for upload in uploads if upload.name.lower().endswith(TEXT_SUFFIXES + PDF_SUFFIXES)]
    for upload in uploads:
        name = upload.name
        plan.files.append({"name": name, "size": len(upload.data), "sha256": hashlib.sha256(upload.data).hexdigest()})
        lower = name.lower()
        limit = max_bundle_bytes() if lower.endswith(".zip") else max_file_bytes()
        if len(upload.data) > limit:
            plan.problems.error(Location(name), None, f"文件有 {len(upload.data)} 字节，超过上限 {limit} 字节")
            continue
        if not upload.data and upload.rows is None:
            plan.problems.error(Location(name), None, "文件为空")
            continue
        try:
            if lower.endswith(".zip"):
                items += _read_bundle(upload, plan)
            elif lower.endswith(TEXT_SUFFIXES):
                number = page if page and len(texts) == 1 else _page_from_name(name)
                if number is None:
                    plan.problems.error(
                        Location(name), "page", "无法确定版次：请用 --page 指定，或把文件命名为 page-2.txt"
                    )
                    continue
                items += _read_page_text(decode_text(upload.data, source=name), name, number, plan)
            elif lower.endswith(PDF_SUFFIXES):
                first = page if page and len(texts) == 1 else _page_from_name(name)
                items += _read_pdf(upload.data, name, first, plan)
            elif upload.rows is not None or lower.endswith(TABLE_SUFFIXES):
                items += _read_table(upload.data, name, plan, rows=upload.rows)
            elif lower.endswith(IMAGE_SUFFIXES):
                plan.images[name] = upload.data
            else:
                plan.problems.error(
                    Location(name),
                    None,
                    "不认识的文件类型：应为页面文本 .txt、版面 PDF .pdf、表格 .csv/.xlsx/.json 或 .zip",
                )
        except BulletinFileError as error:
            plan.problems.error(Location(error.source), None, error.message)
    return items


def _page_from_name(name):
    match = re.search(r"(?:page|第|p)[-_ ]?(\d{1,2})", name, re.IGNORECASE) or re.fullmatch(r"(\d{1,2})\.txt", name)
    return int(match.group(1)) if match else None


def _read_page_text(text, name, number, plan):
    return _read_page(parse_page(text, source=name), name, number, plan)


def _read_pdf(data, name, first, plan):
    """Each page of a PDF is a page of the issue: the first numbered by --page, else by its folio, else in order."""
    items = []
    number = (first or 1) - 1
    readings = read_pdf(data, source=name)
    # Each page kept as a PDF of its own, for the issue's page (its download and its images).
    singles = split_pdf(data)
    pictures = placed_images(data)
    for reading in readings:
        number = first if reading.index == 1 and first else reading.page_number or number + 1
        source = f"{name} 第{reading.index}页"
        page_items = _read_page(reading, source, number, plan, zones=reading.zones)
        for item, boxes in zip(page_items, reading.photos, strict=True):
            _take_photos(item, boxes, pictures[reading.index - 1], source, plan)
        items += page_items
        plan.printed.append(PrintedPage(number=number, data=singles[reading.index - 1], source=source))
    return items


def _take_photos(item, boxes, pictures, source, plan):
    """The photos the reader placed in ``item``, taken out of the PDF at full resolution.

    A photo report's caption is its text; an article's photo, printed without a caption of its
    own, is captioned with the headline until the desk writes one. The photographer is the
    story's photo credit (摄) as the text reader found it. A continuation's photos stay on the page.
    """
    if item.continued_from_page:
        return
    photo_credit = next((credit for credit in item.credits if credit.contribution == "photo"), None)
    text = "".join(words for kind, words in item.body if kind == "paragraph")
    caption = text if item.kind == "photo" and text else item.headline
    for number, box in enumerate(boxes, start=1):
        best = max(pictures, key=lambda picture: overlap(picture.box, box), default=None)
        if best is None or overlap(best.box, box) < 0.5:
            continue
        kind = stored_format(best.data[:12])
        name = f"{source} 图{number}.{EXTENSIONS.get(kind, 'png')}"
        plan.images[name] = best.data
        item.photos.append(
            PhotoItem(
                file=name,
                caption=caption,
                alt=f"{item.headline}（图{number}）"[:200],
                photographer=photo_credit.name if photo_credit else "",
                photographer_title=photo_credit.title if photo_credit else None,
                source=source,
                line=item.line,
            )
        )


def _read_page(reading, name, number, plan, zones=None):
    plan.problems.errors += reading.errors
    plan.problems.warnings += reading.warnings
    if reading.page_number is not None and reading.page_number != number:
        plan.problems.warn(
            Location(name), "page", f"版头印的是第{reading.page_number}版，这个文件按第{number}版导入，请核对"
        )
    if reading.page_name:
        plan.pages.setdefault(number, reading.page_name)  # a bundle's manifest names its pages first
    if reading.editor:
        plan.editors.setdefault(number, reading.editor)
    return items_from_page(reading, source=name, issue=plan.issue_number, page=number, zones=zones)


def _read_table(data, name, plan, rows=None, issue=None):
    """A table's rows; ``issue`` binds every row to one issue (a bundle's), else each row names its own."""
    reading = read_table(data, source=name, issue=issue, rows=rows)
    plan.problems.errors += reading.errors
    plan.correspondent_rows += reading.correspondents
    plan.bureau_rows += reading.bureaus
    plan.photos += reading.photos  # (reference, PhotoItem) until the stories are planned
    return reading.stories


def _read_bundle(upload, plan):
    bundle = read_bundle(upload.data, source=upload.name, max_bytes=max_bundle_bytes())
    if plan.issue_number is not None and plan.issue_number != bundle.issue:
        plan.problems.error(Location(upload.name), "issue", f"包里是第{bundle.issue}期，不是第{plan.issue_number}期")
        return []
    plan.issue_number = bundle.issue
    try:
        plan.issue_date = plan.issue_date or datetime.date.fromisoformat(bundle.date)
    except ValueError:
        plan.problems.error(Location(f"{upload.name}:manifest.json"), "date", f"日期“{bundle.date}”应写成 2026-11-20")
    for page in bundle.pages:
        if isinstance(page, dict) and isinstance(page.get("number"), int):
            plan.pages[page["number"]] = str(page.get("name") or "")
            if page.get("editor"):
                plan.editors[page["number"]] = str(page["editor"])
    items = []
    for name in bundle.tables:
        items += _read_table(bundle.files[name], f"{upload.name}:{name}", plan, issue=bundle.issue)
    if not any(item for item in items):
        for name in bundle.page_texts:
            number = _page_from_name(name)
            if number is None:
                plan.problems.error(Location(f"{upload.name}:{name}"), "page", "无法从文件名确定版次")
                continue
            text = decode_text(bundle.files[name], source=f"{upload.name}:{name}")
            items += _read_page_text(text, f"{upload.name}:{name}", number, plan)
    _read_printed(bundle, upload.name, items, plan)
    for name, content in bundle.files.items():
        # A photo is judged by its bytes when it is checked, not by its name: whatever photos.csv names is offered.
        if name.lower().endswith(IMAGE_SUFFIXES) or name.startswith("photos/"):
            plan.images[name] = content
    return items


def _read_printed(bundle, source, items, plan):
    """A bundle's printed pages: each page's one-page PDF, and where its stories stand on it (by reference)."""
    at = Location(f"{source}:{MANIFEST}")
    by_reference = {item.reference: item for item in items if item.reference}
    for page in bundle.pages:
        if not isinstance(page, dict) or not isinstance(page.get("number"), int):
            continue
        number = page["number"]
        name = page.get("pdf")
        if name:
            data = bundle.files.get(name)
            if data is None:
                plan.problems.error(at, "file", f"第{number}版的 PDF“{name}”不在 ZIP 里")
            elif not single_page(data):
                plan.problems.error(Location(f"{source}:{name}"), "file", f"第{number}版的 PDF 应是可读的单页 PDF")
            else:
                plan.printed.append(PrintedPage(number=number, data=data, source=f"{source}:{name}"))
        for zone in page.get("zones") or []:
            problem = _zone_problem(zone)
            item = by_reference.get(zone.get("reference")) if isinstance(zone, dict) else None
            if problem is None and item is None:
                problem = f"指向没有的稿件编号“{zone.get('reference')}”"
            if problem is not None:
                plan.problems.error(at, "zones", f"第{number}版的区域{problem}")
                continue
            item.zones.append({"page": number, **{key: float(zone[key]) for key in "xywh"}})


def _zone_problem(zone):
    """What is wrong with a zone of a bundle's manifest, or None: four fractions of the page, on the page."""
    if not isinstance(zone, dict):
        return "应是一个对象"
    values = [zone.get(key) for key in "xywh"]
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return "应有 x、y、w、h 四个数"
    x, y, w, h = values
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1) or x + w > 1.0001 or y + h > 1.0001:
        return f"（{x}, {y}, {w}, {h}）不在版面上：应是 0 到 1 之间的比例"
    return None
