"""The demo paper laid out as printed pages, with reportlab: what a layout program would export.

A page is set as the paper sets it: the page's head (page and name, the masthead, the date)
over a rule; then its stories one under another across the page, each a kicker, a headline
in another face, a subheadline, its photos side by side, and its text in columns with rules
between them, a rule under the story; the folio at the foot. Type is set in a Chinese font
found on the machine (``FONT_FILES``); without one, there are no printed pages.

It knows nothing of the database: it is given what stands on each page (``PrintedPart``s of
``bulletin.writer.story_part`` and the photos' bytes) and returns the PDF.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

# WenQuanYi Zen Hei (GPL with a font exception: documents set in it are free of the GPL).
FONT_FILES = [Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")]
MASTHEAD = "甘肃政协报"

A3 = (842.0, 1191.0)  # in points: the demo paper's pages
BROADSHEET = (1105.0, 1531.0)  # 对开, 390 × 540 mm: a provincial daily's page
MARGIN, GUTTER = 40.0, 14.0
BODY, LEADING = 10.5, 16.0
HEAD_RULE = 84.0
PHOTO_HEIGHT = 150.0
CLOSING = "，。、；：？！）》」』”’"


@dataclass
class PageLayout:
    number: int
    name: str
    date: str  # as the head prints it: 2026年11月20日 星期五
    parts: list = field(default_factory=list)  # [(PrintedPart, [photo bytes])]
    editor: str = ""  # the page's 责任编辑, printed at its foot
    across: int = 1  # stories side by side: a broadsheet sets two


def font_file():
    """The Chinese font the pages are set in, or None when the machine has none."""
    return next((path for path in FONT_FILES if path.exists()), None)


def lay_out(pages: list[PageLayout], size=A3) -> bytes | None:
    """The PDF of ``pages``, one page each, of ``size`` (points), or None without a Chinese font."""
    font = font_file()
    if font is None:
        return None
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 -- only laying out pages pays for reportlab
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    if "Display" not in pdfmetrics.getRegisteredFontNames():
        # Reading the font's 17 MB takes a second: once a process is enough.
        pdfmetrics.registerFont(TTFont("Body", str(font), subfontIndex=0))
        pdfmetrics.registerFont(TTFont("Display", str(font), subfontIndex=1))
    buffer = io.BytesIO()
    # invariant: the same pages always make the same file (no creation time, no random identifier).
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    for page in pages:
        _Page(pdf, pdfmetrics.stringWidth, size).draw(page)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class _Page:
    def __init__(self, pdf, measure, size):
        self.pdf, self.measure = pdf, measure
        self.width, self.height = size
        self.foot_rule = self.height - 40.0

    def text(self, x, top, words, font, size):
        self.pdf.setFont(font, size)
        self.pdf.drawString(x, self.height - top - size * 0.88, words)

    def centred(self, x0, x1, top, words, font, size):
        self.text((x0 + x1 - self.measure(words, font, size)) / 2, top, words, font, size)

    def rule(self, x0, top, x1, bottom):
        self.pdf.setLineWidth(0.8)
        self.pdf.line(x0, self.height - top, x1, self.height - bottom)

    def draw(self, page: PageLayout):
        head = f"第{page.number}版 {page.name}".strip()
        self.text(MARGIN, 48, head, "Display", 16)
        self.centred(MARGIN, self.width - MARGIN, 44, MASTHEAD, "Display", 20)
        self.text(self.width - MARGIN - self.measure(page.date, "Body", 10), 50, page.date, "Body", 10)
        self.rule(MARGIN, HEAD_RULE, self.width - MARGIN, HEAD_RULE)
        room = self.foot_rule - HEAD_RULE - 30
        across = max(1, page.across)
        slot = (self.width - 2 * MARGIN - (across - 1) * 2 * GUTTER) / across
        rows = [page.parts[start : start + across] for start in range(0, len(page.parts), across)]
        columns = 3 if across == 1 else 2

        def needed(columns):
            return sum(max(self.story_height(part, photos, columns, slot) for part, photos in row) for row in rows)

        while columns < 5 and needed(columns) > room:
            columns += 1  # a full page sets its text in narrower columns
        top = HEAD_RULE + 20
        for row in rows:
            bottoms = []
            for index, (part, photos) in enumerate(row):
                x0 = MARGIN + index * (slot + 2 * GUTTER)
                bottoms.append(self.story(part, photos, columns, top, x0, x0 + slot))
            for index in range(1, len(row)):
                middle = MARGIN + index * (slot + 2 * GUTTER) - GUTTER
                self.rule(middle, top, middle, max(bottoms))
            top = max(bottoms) + 24
        self.rule(MARGIN, self.foot_rule, self.width - MARGIN, self.foot_rule)
        self.text(MARGIN, self.foot_rule + 6, f"{MASTHEAD} {page.date} {head}", "Body", 8)
        if page.editor:
            editors = f"责任编辑：{page.editor}"
            self.text(self.width - MARGIN - self.measure(editors, "Body", 8), self.foot_rule + 6, editors, "Body", 8)

    def heads(self, part, width):
        """The story's head lines: (text, font, size, height), a long headline broken over lines."""
        lines = []
        if part.kicker:
            lines.append((part.kicker, "Body", 14, 22))
        rest = part.headline
        while rest:
            line = rest
            while self.measure(line, "Display", 24) > width:
                line = line[:-1]
            lines.append((line, "Display", 24, 30))
            rest = rest[len(line) :]
        if part.subheadline:
            lines.append((part.subheadline, "Body", 14, 22))
        return lines

    def lines(self, part, width):
        """The story's blocks broken into lines of ``width``: (kind, text, indent)."""
        lines = []
        for kind, paragraph in part.blocks:
            if kind == "subhead":
                lines.append(("subhead", paragraph, 2 * BODY))
                continue
            indent, line = 2 * BODY, ""
            for char in paragraph:
                # Punctuation hangs at the end of a line rather than start the next one, as the paper sets it.
                if char not in CLOSING and self.measure(line + char, "Body", BODY) > width - indent:
                    lines.append(("paragraph", line, indent))
                    line, indent = "", 0.0
                line += char
            lines.append(("paragraph", line, indent))
        return lines

    def story_height(self, part, photos, columns, width):
        column = (width - (columns - 1) * GUTTER) / columns
        heads = sum(line[3] for line in self.heads(part, width)) + 8
        rows = -(-len(self.lines(part, column)) // columns)
        return heads + (PHOTO_HEIGHT + 10 if photos else 0) + rows * LEADING + 24

    def story(self, part, photos, columns, top, x0, x1):
        y = top
        for words, font, size, height in self.heads(part, x1 - x0):
            self.centred(x0, x1, y, words, font, size)
            y += height
        y += 8
        if photos:
            self.photos(photos, x0, x1, y)
            y += PHOTO_HEIGHT + 10
        column = (x1 - x0 - (columns - 1) * GUTTER) / columns
        lines = self.lines(part, column)
        per_column = max(1, -(-len(lines) // columns))
        bottom = y
        for index, (kind, words, indent) in enumerate(lines):
            col, row = divmod(index, per_column)
            left = x0 + col * (column + GUTTER)
            self.text(left + indent, y + row * LEADING, words, "Display" if kind == "subhead" else "Body", BODY)
            bottom = max(bottom, y + row * LEADING + BODY)
            if col and row == 0:
                self.rule(left - GUTTER / 2, y, left - GUTTER / 2, y + per_column * LEADING - 4)
        # A short rule under the story: a long one near the top would read as the rule closing the page's head.
        middle = (x0 + x1) / 2
        half = min(0.2 * self.width, 0.4 * (x1 - x0))
        self.rule(middle - half, bottom + 10, middle + half, bottom + 10)
        return bottom + 10

    def photos(self, photos, x0, x1, top):
        from reportlab.lib.utils import ImageReader  # noqa: PLC0415

        width = (x1 - x0 - (len(photos) - 1) * GUTTER) / len(photos)
        for index, data in enumerate(photos):
            picture = ImageReader(io.BytesIO(data))
            picture_width, picture_height = picture.getSize()
            scale = min(width / picture_width, PHOTO_HEIGHT / picture_height)
            shown = (picture_width * scale, picture_height * scale)
            left = x0 + index * (width + GUTTER) + (width - shown[0]) / 2
            self.pdf.drawImage(picture, left, self.height - top - shown[1], *shown)
