"""Read the pages of a laid-out PDF into stories, each with its area on the page.

A layout program exports each finished page as a PDF whose text layer says where every
character stands, in which type and size. The page is read by position, not by the order
the program wrote the characters in:

- Characters become line fragments: same baseline, close together, not across a vertical
  rule. A wider gap inside a fragment is a space (`本报渭源讯 6月28日`); evenly spaced
  letters (a letter-spaced masthead) stay one word.
- The page's furniture goes first: what stands above the rule under the page's head or
  below the rule over its folio, and whatever the page-text reader recognises as
  furniture by its form (第2版 市县政协, the editors' line, a date with its weekday).
- The body's type is the type most characters are set in. Lines in another face or in
  clearly larger type are display type: large display type is a headline; display type
  just above it is its kicker (引题), just below it its subheadline (副题); display type
  elsewhere is a subhead.
- Every other line, and every photo, belongs to the nearest headline above it that shares
  some of its width, unless a rule lies between them. A line a line's gap under another in
  its column runs on in that one's story; a column level with a nearer story's column, a
  gutter from it, is that story's (stories side by side under a wide headline, no rule
  between); and a column beyond its headline's width (a centred headline over five columns)
  goes with the column beside it.
- A story's lines are read column by column, top to bottom; a paragraph starts at an
  indented line, after a heading or after a gap, and runs on across columns otherwise.

The story's text, headings and paragraphs on lines of their own, then goes through the
page-text reader (`parse_page`), so datelines, bylines, subheads, continuation markers and
photo credits land in the same fields as they do for a page text. Each story's zone is the
rectangle its lines and photos cover, as fractions of the page, origin top-left; an L-shaped
story, whose short columns stop over another story, gets two.
"""

import io
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .pagetext import PageReading, Problem, furniture_lines, parse_page
from .textfile import BulletinFileError

# pdfminer reports every font it cannot measure; the reading does not depend on it.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

NOT_A_PDF = "不是可读的 PDF 文件"
NO_TEXT = "这一页没有文字层（可能是扫描图像），无法读出稿件"

_WORD_GAP = 0.25  # a gap wider than this share of the type size may be a space
_FRAGMENT_GAP = 1.2  # wider than this, and it is another column or another block
_SAME_BASELINE = 0.3
_DISPLAY_SIZE = 1.2  # type this much larger than the body's is display type
_HEADLINE_SIZE = 1.45  # and this much larger, a headline
_INDENT = 0.8  # an indent of this share of the type size starts a paragraph
_INDENT_MAX = 2.5  # and no indent is wider than this
_PARAGRAPH_GAP = 1.1  # so does a gap between lines wider than this share of the type size
_GUTTER = 3.0  # lines on one baseline closer than this share of the type size are columns side by side
_FOLLOW_GAP = 1.5  # a line this share of the type size or less below another in its column runs on from it
_L_STEP = 3.0  # columns ending this share of the type size above a story's foot stop short (an L)
_RULE_THICKNESS = 3.0  # points: a thinner rectangle is a rule
_RULE_LENGTH = 15.0
_LONG_RULE = 0.5  # a rule across half the page's width may close its head or open its folio
_HEAD_BAND = 0.2  # the page's head stands in its top fifth, the folio in its bottom fifth


@dataclass
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def overlap(self, other: "Box") -> float:
        """How much of their width two boxes share."""
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))

    def union(self, other: "Box") -> "Box":
        return Box(
            min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1), max(self.bottom, other.bottom)
        )


@dataclass
class Fragment:
    """A run of characters on one baseline: a column's line, a headline's line, a credit."""

    box: Box
    text: str
    size: float
    font: str
    display: bool = False


@dataclass
class PdfPageReading(PageReading):
    """One page of a PDF: the page-text reader's result, plus each story's zones."""

    index: int = 1  # the page's place in the file, from 1
    zones: list[list[dict]] = field(default_factory=list)  # per item: [{"x", "y", "w", "h"}]
    photos: list[list[dict]] = field(default_factory=list)  # per item: its photos' boxes, as its zones


@dataclass
class _Story:
    head: list[Fragment]  # kicker, headline, subheadline, top to bottom
    lines: list[Fragment] = field(default_factory=list)
    photos: list[Box] = field(default_factory=list)

    @property
    def head_box(self) -> Box:
        return _union(piece.box for piece in self.head)

    @property
    def headline(self) -> Fragment:
        """The headline itself: the head's largest type, wherever its kicker or subheadline stand."""
        return max(self.head, key=lambda piece: piece.size)


def read_pdf(data: bytes, *, source: str) -> list[PdfPageReading]:
    """Every page of the PDF in `data`, read into stories."""
    import pdfplumber  # noqa: PLC0415 -- only an import of PDFs pays for loading it
    from pdfminer.pdfparser import PDFSyntaxError  # noqa: PLC0415
    from pdfplumber.utils.exceptions import PdfminerException  # noqa: PLC0415

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [
                read_page(page, source=f"{source} 第{index}页", index=index) for index, page in enumerate(pdf.pages, 1)
            ]
    except (PDFSyntaxError, PdfminerException, ValueError, TypeError, KeyError) as error:
        raise BulletinFileError(source, NOT_A_PDF) from error


def read_page(page, *, source: str, index: int = 1) -> PdfPageReading:
    """One pdfplumber page read into stories with their zones."""
    origin_x, origin_y = page.bbox[0], page.bbox[1]
    width, height = page.width, page.height
    horizontal, vertical = _rules(page)
    fragments = _fragments(page.chars, vertical)
    if not fragments:
        return PdfPageReading([], [Problem(source, None, None, NO_TEXT)], [], index=index)
    fragments, page_name, number, editor = _drop_furniture(fragments, horizontal, width, height, origin_y)
    _mark_display(fragments)
    stories = _stories(fragments, horizontal)
    for image in page.images:
        box = Box(max(image["x0"], origin_x), max(image["top"], origin_y), image["x1"], image["bottom"])
        owner = _owner(box, stories, horizontal)
        if owner is not None:
            owner.photos.append(box)

    reading = PdfPageReading([], [], [], page_name=page_name, page_number=number, editor=editor, index=index)
    for story in stories:
        story_reading = parse_page(_story_text(story), source=source)
        reading.errors += [Problem(source, None, problem.field, problem.message) for problem in story_reading.errors]
        reading.warnings += [
            Problem(source, None, problem.field, problem.message)
            for problem in story_reading.warnings
            if problem.field is not None  # furniture warnings concern the synthetic text, not the page
        ]
        zones = _zones(story, stories, origin_x, origin_y, width, height)
        photos = [_fractions(photo, origin_x, origin_y, width, height) for photo in story.photos]
        for item in story_reading.items:
            reading.items.append(item)
            reading.zones.append(zones)
            reading.photos.append(photos)
    if not reading.items:
        reading.errors.append(Problem(source, None, None, "这一页没有读到任何稿件：应有标题和正文"))
    return reading


# --- Characters into fragments ---------------------------------------------------------------


def _rules(page) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical rules: thin rectangles and lines, and the sides of stroked boxes."""
    horizontal, vertical = [], []
    for shape in page.rects + page.lines:
        box = Box(shape["x0"], shape["top"], shape["x1"], shape["bottom"])
        tall = box.bottom - box.top
        if tall <= _RULE_THICKNESS and box.width >= _RULE_LENGTH:
            horizontal.append(box)
        elif box.width <= _RULE_THICKNESS and tall >= _RULE_LENGTH:
            vertical.append(box)
        elif shape.get("stroke") and box.width >= _RULE_LENGTH and tall >= _RULE_LENGTH:
            horizontal += [Box(box.x0, box.top, box.x1, box.top), Box(box.x0, box.bottom, box.x1, box.bottom)]
            vertical += [Box(box.x0, box.top, box.x0, box.bottom), Box(box.x1, box.top, box.x1, box.bottom)]
    return horizontal, vertical


def _fragments(chars, vertical: list[Box]) -> list[Fragment]:
    chars = sorted((char for char in chars if char["text"].strip()), key=lambda char: (char["bottom"], char["x0"]))
    rows: list[list[dict]] = []
    for char in chars:
        if rows and char["bottom"] - rows[-1][0]["bottom"] <= _SAME_BASELINE * char["size"]:
            rows[-1].append(char)
        else:
            rows.append([char])
    fragments = []
    for row in rows:
        run: list[dict] = []
        for char in sorted(row, key=lambda char: char["x0"]):
            if run and _overprinted(run[-1], char):
                continue  # bold made by printing a character twice
            if run and _breaks(run[-1], char, vertical):
                fragments.append(_fragment(run))
                run = []
            run.append(char)
        fragments.append(_fragment(run))
    return fragments


def _overprinted(before: dict, char: dict) -> bool:
    return char["text"] == before["text"] and abs(char["x0"] - before["x0"]) < 0.2 * char["size"]


def _breaks(before: dict, char: dict, vertical: list[Box]) -> bool:
    size = max(before["size"], char["size"])
    if char["x0"] - before["x1"] > _FRAGMENT_GAP * size:
        return True
    if not 1 / _DISPLAY_SIZE < char["size"] / before["size"] < _DISPLAY_SIZE:
        return True
    return any(
        before["x1"] - 1 <= rule.x0 <= char["x0"] + 1 and rule.top <= char["bottom"] and rule.bottom >= char["top"]
        for rule in vertical
    )


def _fragment(chars: list[dict]) -> Fragment:
    size = statistics.median(char["size"] for char in chars)
    gaps = [after["x0"] - before["x1"] for before, after in zip(chars, chars[1:], strict=False)]
    usual = statistics.median(gaps) if gaps else 0.0
    text = chars[0]["text"]
    for gap, char in zip(gaps, chars[1:], strict=True):
        if gap > _WORD_GAP * size and gap > usual + 0.2 * size:
            text += " "
        text += char["text"]
    font = Counter(char["fontname"] for char in chars).most_common(1)[0][0]
    box = Box(chars[0]["x0"], min(c["top"] for c in chars), chars[-1]["x1"], max(c["bottom"] for c in chars))
    return Fragment(box, text, size, font)


# --- Furniture and type --------------------------------------------------------------------


def _reading_rows(fragments: list[Fragment]) -> list[Fragment]:
    """Fragments top to bottom, and left to right within a row (a page's head set in several sizes)."""
    ordered = sorted(fragments, key=lambda piece: piece.box.top)
    rows: list[list[Fragment]] = []
    for piece in ordered:
        if rows and piece.box.top - rows[-1][0].box.top <= 0.5 * max(p.size for p in rows[-1]):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [piece for row in rows for piece in sorted(row, key=lambda piece: piece.box.x0)]


def _drop_furniture(fragments, horizontal, width, height, origin_y):
    """The fragments that are not furniture, with the page's name, number and editor as its furniture prints them."""
    long_rules = [rule for rule in horizontal if rule.width >= _LONG_RULE * width]
    head_rules = [rule.top for rule in long_rules if rule.top - origin_y < _HEAD_BAND * height]
    foot_rules = [rule.top for rule in long_rules if rule.top - origin_y > (1 - _HEAD_BAND) * height]
    head_end = max(head_rules, default=None)
    foot_start = min(foot_rules, default=None)
    ordered = _reading_rows(fragments)
    found = furniture_lines([piece.text for piece in ordered])
    furniture, kept = [], []
    for position, piece in enumerate(ordered):
        above = head_end is not None and piece.box.bottom <= head_end + 1
        below = foot_start is not None and piece.box.top >= foot_start - 1
        (furniture if above or below or position in found else kept).append(piece)
    page_name, number, editor = "", None, ""
    for kind, name, printed, named in furniture_lines([piece.text for piece in furniture]).values():
        if kind in ("版头", "版脚", "报头", "版面日期"):
            page_name, number = page_name or name, number or printed
        editor = editor or named
    return kept, page_name, number, editor


def _mark_display(fragments: list[Fragment]) -> None:
    """Mark the fragments set in display type: another face than the body's, or larger type."""
    faces = Counter()
    for piece in fragments:
        faces[piece.font] += len(piece.text)
    if not faces:
        return
    body_font = faces.most_common(1)[0][0]
    body_size = _body_size(fragments, body_font)
    for piece in fragments:
        piece.display = piece.font != body_font or piece.size >= _DISPLAY_SIZE * body_size


def _body_size(fragments: list[Fragment], body_font: str) -> float:
    sizes = [piece.size for piece in fragments for _ in piece.text if piece.font == body_font]
    return statistics.median(sizes)


# --- Stories ------------------------------------------------------------------------------------


def _union(boxes) -> Box:
    boxes = list(boxes)
    result = boxes[0]
    for box in boxes[1:]:
        result = result.union(box)
    return result


def _display_groups(fragments: list[Fragment]) -> list[Fragment]:
    """Display lines that continue one another (a headline over two lines) joined into one."""
    groups: list[Fragment] = []
    for piece in sorted((piece for piece in fragments if piece.display), key=lambda piece: piece.box.top):
        for group in reversed(groups):
            close = 0 <= piece.box.top - group.box.bottom < 0.8 * piece.size
            same_type = group.font == piece.font and abs(group.size - piece.size) < 0.1 * piece.size
            if close and same_type and group.box.overlap(piece.box) > 0:
                group.text += piece.text
                group.box = group.box.union(piece.box)
                break
        else:
            groups.append(Fragment(piece.box, piece.text, piece.size, piece.font, display=True))
    return groups


def _stories(fragments: list[Fragment], horizontal: list[Box]) -> list[_Story]:
    display = _display_groups(fragments)
    body = [piece for piece in fragments if not piece.display]
    faces = Counter()
    for piece in body:
        faces[piece.font] += len(piece.text)
    body_size = _body_size(body, faces.most_common(1)[0][0]) if body else min(piece.size for piece in display)
    headlines = [group for group in display if group.size >= _HEADLINE_SIZE * body_size]
    stories = [_Story(head=[headline]) for headline in headlines]
    others = []
    for group in display:
        if group in headlines:
            continue
        story = _head_of(group, stories)
        if story is not None:
            story.head.append(group)
            story.head.sort(key=lambda piece: piece.box.top)
        else:
            others.append(group)
    # A line no headline reaches (a short last line, a 接一版 in a column to the side) goes
    # with the line next to it in its column: above it, else below it.
    owners: list[tuple[Fragment, _Story]] = []
    unowned = []
    for piece in sorted(others + body, key=lambda piece: piece.box.top):
        owner = _following(piece, owners, stories, horizontal)
        if owner is None:
            owner = _owner(piece.box, stories, horizontal)
            # A column that starts level with a nearer headline's column, a gutter from it, is that story's,
            # though a headline higher up spans it (stories side by side under a wide one, no rule between).
            beside = _beside(piece, owners)
            if beside is not None and (owner is None or beside.head_box.bottom > owner.head_box.bottom):
                owner = beside
            owner = owner or _neighbour(piece.box, owners, horizontal, below=False)
        if owner is None:
            unowned.append(piece)
        else:
            owners.append((piece, owner))
    # A column wider than its headline's reach (a centred headline over five columns) goes with
    # the column beside it: its lines share their baselines with a story's lines, a gutter apart.
    while unowned:
        found = []
        for piece in unowned:
            owner = _beside(piece, owners) or _neighbour(piece.box, owners, horizontal, below=False)
            if owner is not None:
                owners.append((piece, owner))
                found.append(piece)
        if not found:
            break
        unowned = [piece for piece in unowned if piece not in found]
    headless = _Story(head=[])
    for piece in reversed(unowned):
        owner = _neighbour(piece.box, owners, horizontal, below=True) or headless
        owners.append((piece, owner))
    for piece, owner in owners:
        owner.lines.append(piece)
    if headless.lines:
        stories.append(headless)
    stories.sort(key=lambda story: (story.head_box.top, story.head_box.x0) if story.head else (0, 0))
    return stories


def _head_of(group: Fragment, stories: list[_Story]) -> _Story | None:
    """The story whose headline `group` sits right above (a kicker) or right below (a subheadline)."""
    for story in stories:
        headline = story.headline.box
        if headline.overlap(group.box) <= 0:
            continue
        if 0 <= headline.top - group.box.bottom < 1.5 * group.size:
            return story
        if 0 <= group.box.top - headline.bottom < 1.0 * group.size:
            return story
    return None


def _owner(box: Box, stories: list[_Story], horizontal: list[Box]) -> _Story | None:
    """The story with the nearest headline above `box` that shares some of its width, with no rule between."""
    best = None
    for story in stories:
        if not story.head:
            continue
        head = story.head_box
        if head.bottom > box.top + 1 or head.overlap(box) <= 0:
            continue
        if any(
            head.bottom - 1 <= rule.top <= box.top + 1 and rule.overlap(box) > 0.5 * box.width for rule in horizontal
        ):
            continue
        if best is None or head.bottom > best.head_box.bottom:
            best = story
    return best


def _following(
    piece: Fragment, owners: list[tuple[Fragment, _Story]], stories: list[_Story], horizontal: list[Box]
) -> _Story | None:
    """The story of the line right above `piece` in its column, a line's gap away, no rule or headline between."""
    best = None
    for other, story in owners:
        gap = piece.box.top - other.box.bottom
        if not story.head or other.box.overlap(piece.box) <= 0 or not -1 <= gap <= _FOLLOW_GAP * piece.size:
            continue
        if best is None or gap < best[0]:
            best = (gap, other, story)
    if best is None:
        return None
    _, other, story = best
    between = Box(piece.box.x0, other.box.bottom - 1, piece.box.x1, piece.box.top + 1)
    if any(between.top <= rule.top <= between.bottom and rule.overlap(piece.box) > 0 for rule in horizontal):
        return None
    if any(
        between.top <= head.headline.box.top <= between.bottom and head.headline.box.overlap(piece.box) > 0
        for head in stories
        if head.head
    ):
        return None
    return story


def _beside(piece: Fragment, owners: list[tuple[Fragment, _Story]]) -> _Story | None:
    """The story of the nearest column beside `piece`, level with it, in the same type, a gutter away at most.

    A column's width is that of its widest line: the line level with `piece` may be a paragraph's short last line.
    """
    best = None
    for other, story in owners:
        if other.display or not story.head or abs(other.box.bottom - piece.box.bottom) > _SAME_BASELINE * piece.size:
            continue
        if abs(other.size - piece.size) > 0.1 * piece.size or other.box.bottom < story.head_box.bottom:
            continue
        near = [
            line.box
            for line, owner in owners
            if owner is story
            and not line.display
            and line.box.x0 <= other.box.x1 + _INDENT_MAX * piece.size  # beside a short last line, an indent
            and line.box.x1 > other.box.x0
            and abs(line.box.top - other.box.top) < 20 * piece.size
        ]
        column = _union(near + [other.box])
        gap = max(column.x0 - piece.box.x1, piece.box.x0 - column.x1)
        if 0 <= gap <= (_GUTTER + _INDENT_MAX) * piece.size and (best is None or gap < best[0]):
            best = (gap, story)
    return best[1] if best else None


def _neighbour(box: Box, owners: list[tuple[Fragment, _Story]], horizontal: list[Box], *, below: bool) -> _Story | None:
    """The story of the nearest line above (or below) `box` in its column, with no rule between."""
    best = None
    for piece, story in owners:
        upper, lower = (box, piece.box) if below else (piece.box, box)
        if upper.bottom > lower.top + 1 or piece.box.overlap(box) <= 0 or not story.head:
            continue
        if any(
            upper.bottom - 1 <= rule.top <= lower.top + 1 and rule.overlap(box) > 0.5 * box.width for rule in horizontal
        ):
            continue
        distance = lower.top - upper.bottom
        if best is None or distance < best[0]:
            best = (distance, story)
    return best[1] if best else None


def _columns(lines: list[Fragment]) -> list[list[Fragment]]:
    """A story's lines in its columns, left to right, each top to bottom."""
    columns: list[list[Fragment]] = []
    for piece in sorted(lines, key=lambda piece: (piece.display, piece.box.x0)):
        shares = [(sum(piece.box.overlap(other.box) for other in column), column) for column in columns]
        share, column = max(shares, key=lambda pair: pair[0], default=(0, None))
        if column is not None and share > 0.5 * min(piece.box.width, max(other.box.width for other in column)):
            column.append(piece)
        else:
            columns.append([piece])
    columns.sort(key=lambda column: min(piece.box.x0 for piece in column))
    return [sorted(column, key=lambda piece: piece.box.top) for column in columns]


def _story_text(story: _Story) -> str:
    """The story as a page text: headings and paragraphs each on a line of its own."""
    chunks = [piece.text for piece in story.head]
    paragraph_open = False
    for column in _columns(story.lines):
        plain = [piece.box.x0 for piece in column if not piece.display]
        left = min(plain, default=0.0)
        previous = None
        for piece in column:
            if piece.display:
                chunks.append(piece.text)
                paragraph_open = False
            else:
                indented = piece.box.x0 - left > _INDENT * piece.size
                apart = previous is not None and piece.box.top - previous.box.bottom > _PARAGRAPH_GAP * piece.size
                if paragraph_open and not indented and not apart:
                    chunks[-1] += piece.text
                else:
                    chunks.append(piece.text)
                paragraph_open = True
            previous = piece
    return "\n\n".join(chunks) + "\n"


def _zones(story: _Story, stories: list[_Story], origin_x, origin_y, width, height) -> list[dict]:
    """The rectangles a story covers, as fractions of the page; a photo widens them only down and up.

    One rectangle, unless the story is L-shaped: some of its columns stop short over another story
    (not over white space, as a last column does), and the others run on down beside it. Then the
    story is its full width down to where its short columns stop, and its long columns below.
    """
    text = _union([piece.box for piece in story.head + story.lines])
    box = text
    for photo in story.photos:
        box = box.union(Box(text.x0, photo.top, text.x1, photo.bottom))
    boxes = _l_shape(story, stories, box) or [box]
    return [_fractions(part, origin_x, origin_y, width, height) for part in boxes]


def _l_shape(story: _Story, stories: list[_Story], box: Box) -> list[Box] | None:
    """The two rectangles of an L-shaped story, or None for a story of one rectangle."""
    plain = [piece for piece in story.lines if not piece.display]
    if not plain:
        return None
    size = statistics.median(piece.size for piece in plain)
    columns = [_union(piece.box for piece in column) for column in _columns(plain)]
    short = [column for column in columns if column.bottom < box.bottom - _L_STEP * size]
    long = [column for column in columns if column not in short]
    if not short or not long:
        return None
    cut = max(column.bottom for column in short)
    under = Box(min(column.x0 for column in short), cut, max(column.x1 for column in short), box.bottom)
    rest = Box(min(column.x0 for column in long), cut, max(column.x1 for column in long), box.bottom)
    if rest.overlap(under) > 0:
        return None  # short columns on both sides of long ones: not an L
    others = [
        piece.box
        for other in stories
        if other is not story
        for piece in other.head + other.lines
        if piece.box.top >= cut - 1 and piece.box.bottom <= box.bottom + 1 and piece.box.overlap(under) > 0
    ]
    if not others:
        return None  # white space under a short last column
    return [Box(box.x0, box.top, box.x1, cut), rest]


def _fractions(box: Box, origin_x, origin_y, width, height) -> dict:
    """A box as fractions of the page: {"x", "y", "w", "h"}, origin top-left."""

    def fraction(value, total):
        return round(min(1.0, max(0.0, value / total)), 5)

    return {
        "x": fraction(box.x0 - origin_x, width),
        "y": fraction(box.top - origin_y, height),
        "w": fraction(box.width, width),
        "h": fraction(box.bottom - box.top, height),
    }
