"""A story's body: an ordered list of blocks, stored as JSON and rendered escaped.

Five kinds of block::

    {"kind": "paragraph", "text": "…"}
    {"kind": "subhead", "text": "…"}
    {"kind": "quote", "text": "…"}
    {"kind": "photo", "photo": 2}
    {"kind": "table", "rows": [["姓名", "界别"], ["…", "…"]], "header": true, "caption": "…"}

Only ever rendered through templates with escaping, so no markup typed by anyone reaches a
page. A photo block names the story's photo by its number in the story's order of photos
(1 for the first, as the form lists them), not by its database key: the number is what an
export writes (``photos/<reference>-2.jpg``) and an import gives back, while keys are new
after every import, restore or copy into another database.

For editing, the body is plain text anyone can type (``to_editable``/``from_editable``)::

    段落，一段一行（段与段之间可空一行）。
    ## 小标题
    > 引文
    [图2]
    表：委员名单
    | 姓名 | 界别 |
    |---|---|
    | 张三 | 经济界 |

A paragraph that would read as one of the marks is written after a ``\\``; in a table cell
``\\|`` is a ``|`` and ``\\\\`` a ``\\``.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

PARAGRAPH = "paragraph"
SUBHEAD = "subhead"
QUOTE = "quote"
PHOTO = "photo"
TABLE = "table"
KINDS = (PARAGRAPH, SUBHEAD, QUOTE, PHOTO, TABLE)
TEXT_KINDS = (PARAGRAPH, SUBHEAD, QUOTE)
KIND_WORDS = "paragraph、subhead、quote、photo 或 table"
SUBHEAD_MARK = "## "
QUOTE_MARK = "> "
CAPTION_MARK = "表："
ESCAPE = "\\"

# ``## 小标题``, ``##小标题`` or ``# 小标题`` (as tables of stories have it); ``#话题#`` is text.
SUBHEAD_LINE = re.compile(r"(?:##+\s*|#\s+)(\S.*)")
QUOTE_LINE = re.compile(r">\s*(\S.*)")
PHOTO_LINE = re.compile(r"[\[【]图\s*(\d{1,3})\s*[\]】]")
CAPTION_LINE = re.compile(r"表[：:]\s*(.*)")
# ``|---|---|`` (colons allowed, as other tools write them): the line that makes the first row a header.
RULE_LINE = re.compile(r"\|(\s*:?-+:?\s*\|)+\s*|\|\s*:?-+:?\s*")
# What str.splitlines() breaks a line at: no text of a block may hold one, or it would not type back.
LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
MAX_TABLE_CELLS = 2000


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    photo: int | None = None
    rows: tuple = field(default=())
    header: bool = False
    caption: str = ""

    @property
    def is_paragraph(self):
        return self.kind == PARAGRAPH

    @property
    def is_subhead(self):
        return self.kind == SUBHEAD

    @property
    def is_quote(self):
        return self.kind == QUOTE

    @property
    def is_photo(self):
        return self.kind == PHOTO

    @property
    def is_table(self):
        return self.kind == TABLE

    @property
    def head(self):
        """The header row, or None."""
        return self.rows[0] if self.header and self.rows else None

    @property
    def body_rows(self):
        return self.rows[1:] if self.header else self.rows


def make(blocks):
    """JSON body from ``(kind, value)`` pairs or block dicts, dropping empty text.

    ``value`` is the text of a paragraph, subhead or quote; the number of a photo; a dict of
    ``rows`` (and ``header``, ``caption``) for a table.
    """
    made = []
    for item in blocks:
        kind, value = (item["kind"], item) if isinstance(item, dict) else item
        if kind == PHOTO:
            made.append({"kind": PHOTO, "photo": value.get("photo") if isinstance(value, dict) else value})
        elif kind == TABLE:
            made.append(_table(value.get("rows"), value.get("header", False), value.get("caption", "")))
        else:
            text = value.get("text") if isinstance(value, dict) else value
            if isinstance(text, str) and text.strip():
                made.append({"kind": kind, "text": text.strip()})
    return made


def _table(rows, header, caption):
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return {"kind": TABLE, "rows": rows, "header": header, "caption": caption}
    rows = [[cell.strip() if isinstance(cell, str) else cell for cell in row] for row in rows]
    width = max((len(row) for row in rows), default=0)
    # Short rows are filled out with empty cells: a table is a grid.
    rows = [row + [""] * (width - len(row)) for row in rows]
    caption = caption.strip() if isinstance(caption, str) else caption
    return {"kind": TABLE, "rows": rows, "header": header, "caption": caption}


def blocks(body):
    made = []
    for item in body or []:
        if item["kind"] == PHOTO:
            made.append(Block(PHOTO, photo=item["photo"]))
        elif item["kind"] == TABLE:
            rows = tuple(tuple(row) for row in item["rows"])
            made.append(Block(TABLE, rows=rows, header=item["header"], caption=item["caption"]))
        else:
            made.append(Block(item["kind"], item["text"]))
    return made


def validate(body):
    """Refuse anything but well-formed blocks, naming the block (and the row) that is wrong."""
    if not isinstance(body, list):
        raise ValidationError("正文应是段落、小标题、引文、图片和表格的列表。")
    for number, item in enumerate(body, start=1):
        at = f"正文第{number}块"
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            if isinstance(item, dict) and "kind" in item:
                raise ValidationError(f"{at}的类型“{item['kind']}”无效，应为 {KIND_WORDS}。")
            raise ValidationError(f"{at}格式不对：应有 kind 和 text 两项。")
        kind = item["kind"]
        if kind in TEXT_KINDS:
            if set(item) != {"kind", "text"}:
                raise ValidationError(f"{at}格式不对：应有 kind 和 text 两项。")
            _check_text(item["text"], at, "是空的", empty_ok=False)
        elif kind == PHOTO:
            if set(item) != {"kind", "photo"}:
                raise ValidationError(f"{at}（图片）格式不对：应有 kind 和 photo 两项。")
            if type(item["photo"]) is not int or not 1 <= item["photo"] <= 999:
                raise ValidationError(f"{at}（图片）的编号应是 1 到 999 的整数，如 [图2]。")
        else:
            _validate_table(item, at)


def _validate_table(item, at):
    if set(item) != {"kind", "rows", "header", "caption"}:
        raise ValidationError(f"{at}（表格）格式不对：应有 kind、rows、header 和 caption 四项。")
    rows = item["rows"]
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) and row for row in rows):
        raise ValidationError(f"{at}（表格）至少要有一行，每行至少一格。")
    width = len(rows[0])
    for line, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValidationError(f"{at}（表格）第{line}行有{len(row)}格，第1行有{width}格：每行格数应相同。")
        for cell in row:
            _check_text(cell, f"{at}（表格）第{line}行", "", empty_ok=True)
    if width * len(rows) > MAX_TABLE_CELLS:
        raise ValidationError(f"{at}（表格）有{width * len(rows)}格，最多{MAX_TABLE_CELLS}格。")
    if not any(cell for row in rows for cell in row):
        raise ValidationError(f"{at}（表格）每一格都是空的。")
    if not isinstance(item["header"], bool):
        raise ValidationError(f"{at}（表格）的 header 应为 true 或 false。")
    if item["header"] and len(rows) < 2:
        raise ValidationError(f"{at}（表格）只有表头，没有内容行。")
    _check_text(item["caption"], f"{at}（表格）的表题", "", empty_ok=True)


def _check_text(text, at, empty, *, empty_ok):
    if not isinstance(text, str):
        raise ValidationError(f"{at}应是文字。")
    if not empty_ok and not text.strip():
        raise ValidationError(f"{at}{empty}。")
    if LINE_BREAK.search(text):
        raise ValidationError(f"{at}里有换行：一块文字应在一行之内。")
    if text != text.strip():
        raise ValidationError(f"{at}的首尾有空白。")


def lead(body):
    """The text of the first paragraph, or ""."""
    return next((item["text"] for item in body or [] if item["kind"] == PARAGRAPH), "")


def shorten(text, length):
    """At most ``length`` characters, the last of them "…" where it was cut.

    As Django's ``Truncator(text).chars(length)`` for the paper's text, at a twentieth of its cost.
    """
    return text if len(text) <= length else text[: length - 1] + "…"


def texts(body):
    """Every piece of text a reader reads in the body, in order: a table gives its caption and each row."""
    for block in blocks(body):
        if block.is_table:
            if block.caption:
                yield block.caption
            for row in block.rows:
                yield " ".join(cell for cell in row if cell)
        elif not block.is_photo:
            yield block.text


def plain_text(body):
    """The body as text, a line a piece (``texts``): what search looks in."""
    return "\n".join(texts(body))


def character_count(body):
    """(汉字, 其他字符): the body's characters as a reader reads them, spaces not counted.

    What papers pay by. static/js/body-editor.js counts the text being typed by the same rule.
    """
    han = other = 0
    for text in texts(body):
        for character in text:
            if character.isspace():
                continue
            if HAN.match(character):
                han += 1
            else:
                other += 1
    return han, other


def placed_photos(body):
    """The numbers of the photos the body places between its paragraphs."""
    return {item["photo"] for item in body or [] if item["kind"] == PHOTO}


def paragraph_ends(story_blocks):
    """The indexes of the first and the last paragraph (the dateline and a trailing byline go there), or None."""
    indexes = [index for index, block in enumerate(story_blocks) if block.is_paragraph]
    return (indexes[0], indexes[-1]) if indexes else (None, None)


# Plain text


def to_editable(body):
    """The body as the editor types it: blocks apart by a blank line (``from_editable`` reads it back exactly)."""
    return "\n\n".join("\n".join(block_lines(block)) for block in blocks(body))


def block_lines(block):
    """One block in the editable syntax, a line a string."""
    if block.is_subhead:
        return [SUBHEAD_MARK + block.text]
    if block.is_quote:
        return [QUOTE_MARK + block.text]
    if block.is_photo:
        return [f"[图{block.photo}]"]
    if block.is_table:
        lines = [CAPTION_MARK + block.caption] if block.caption else []
        for index, row in enumerate(block.rows):
            lines.append(_row_line(row))
            if index == 0 and block.header:
                lines.append("|" + "---|" * len(row))
        return lines
    # A paragraph that would read as a mark (or starts with the escape itself) is written after the escape.
    parsed = _line_block(block.text)
    return [block.text if parsed == (PARAGRAPH, block.text) else ESCAPE + block.text]


def _row_line(row):
    cells = [cell.replace(ESCAPE, ESCAPE * 2).replace("|", ESCAPE + "|") for cell in row]
    line = "| " + " | ".join(cells) + " |"
    if RULE_LINE.fullmatch(line):
        # A row of dashes only (“-” is how a table says “none”) must not read as the header's rule.
        line = "| " + " | ".join(ESCAPE + cell if cell else cell for cell in cells) + " |"
    return line


def _line_block(line):
    """(kind, value) of one stripped line outside a table; a table's lines are read by ``from_editable``."""
    if line.startswith(ESCAPE):
        return PARAGRAPH, line[1:].strip()
    if line.startswith("|"):
        return TABLE, line
    if match := PHOTO_LINE.fullmatch(line):
        return PHOTO, int(match[1])
    if match := SUBHEAD_LINE.fullmatch(line):
        return SUBHEAD, match[1].strip()
    if match := QUOTE_LINE.fullmatch(line):
        return QUOTE, match[1].strip()
    return PARAGRAPH, line


def from_editable(text):
    """The body typed as plain text (see the module's docstring), as blocks.

    Forgiving: a table's short rows are filled out, a rule line anywhere but under the first row
    is left out; what is still wrong ``validate`` names.
    """
    lines = [line.strip() for line in (text or "").splitlines()]
    made = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        following = lines[index] if index < len(lines) else ""
        caption = CAPTION_LINE.fullmatch(line)
        if caption and following.startswith("|"):
            line, index, caption = following, index + 1, caption[1].strip()
        elif caption:
            caption = None
        kind, value = _line_block(line)
        if kind != TABLE:
            made.append((kind, value))
            continue
        rows, header = [], False
        while True:
            if RULE_LINE.fullmatch(line):
                header = header or len(rows) == 1
            else:
                rows.append(_row_cells(line))
            if index < len(lines) and lines[index].startswith("|"):
                line = lines[index]
                index += 1
            else:
                break
        if rows:
            made.append((TABLE, {"rows": rows, "header": header, "caption": caption or ""}))
    return make(made)


def _row_cells(line):
    """``| a | b\\|c |`` → ["a", "b|c"]."""
    cells, cell, escaped, closed = [], [], False, False
    for character in line[1:]:
        closed = False
        if escaped:
            cell.append(character)
            escaped = False
        elif character == ESCAPE:
            escaped = True
        elif character == "|":
            cells.append("".join(cell))
            cell, closed = [], True
        else:
            cell.append(character)
    if not closed:
        cells.append("".join(cell))
    return [cell.strip() for cell in cells]
