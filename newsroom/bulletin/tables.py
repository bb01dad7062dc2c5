"""Tables of stories, correspondents and bureaus (CSV, XLSX, JSON) read into plain items.

Headers may be the English keys or the desk's Chinese words (标题, 引题, 署名 …).
Every problem names the file, the row and the column.
"""

import csv
import datetime
import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from newsroom import body as story_body
from newsroom.models import Story

from . import limits
from .items import PhotoItem, Problem, StoryItem
from .pagetext import parse_byline
from .textfile import BulletinFileError, decode_text

STORY_COLUMNS = {
    "reference": ("reference", "编号", "稿件编号"),
    "issue": ("issue", "期号", "期"),
    "issue_date": ("issue_date", "出版日期"),
    "page": ("page", "版次", "版"),
    "position": ("position", "顺序", "版内顺序"),
    "kind": ("kind", "类型"),
    "kicker": ("kicker", "引题"),
    "headline": ("headline", "标题"),
    "subheadline": ("subheadline", "副题"),
    "bureau": ("bureau", "记者站", "电头"),
    "region": ("region", "地区"),
    "event_date": ("event_date", "日期", "事件日期"),
    "credits": ("credits", "署名", "作者"),
    "body": ("body", "正文"),
    "continued_from_page": ("continued_from_page", "接自", "接自第几版"),
    "continued_on_page": ("continued_on_page", "转至", "转至第几版"),
    "state": ("state", "状态", "status"),
    "published_at": ("published_at", "发布时间"),
    "correction": ("correction", "更正说明"),
    "corrected_at": ("corrected_at", "更正时间"),
    "withdrawn_reason": ("withdrawn_reason", "撤稿原因"),
    "topics": ("topics", "专题"),
}
# Several topics in one cell: 两会、委员履职 or 两会;委员履职.
TOPIC_SEPARATORS = re.compile(r"[、;；]")
CORRESPONDENT_COLUMNS = {
    "name": ("name", "姓名"),
    "title": ("title", "身份"),
    "unit": ("unit", "单位", "工作单位"),
    "bureau": ("bureau", "记者站"),
    "phone": ("phone", "电话"),
    "email": ("email", "邮箱", "电子邮箱"),
    "active": ("active", "在用"),
}
BUREAU_COLUMNS = {"region": ("region", "地区"), "active": ("active", "在用")}
PHOTO_COLUMNS = {
    "reference": ("reference", "编号", "稿件编号"),
    "file": ("file", "文件", "图片"),
    "caption": ("caption", "图片说明", "说明"),
    "alt": ("alt", "替代文字"),
    "photographer": ("photographer", "摄影"),
    "photographer_title": ("photographer_title", "摄影身份"),
}

KINDS = {"article": "article", "文章": "article", "photo": "photo", "摄影报道": "photo", "图片": "photo"}
# The states a table may import at, by value or by label (草稿, 待审, 已通过, 已发布, 已撤稿).
IMPORTABLE = (
    Story.Status.DRAFT,
    Story.Status.SUBMITTED,
    Story.Status.APPROVED,
    Story.Status.PUBLISHED,
    Story.Status.WITHDRAWN,
)
STATES = {word: status.value for status in IMPORTABLE for word in (status.value, status.label)}
STATE_WORDS = "、".join(status.value for status in IMPORTABLE[:-1]) + f" 或 {IMPORTABLE[-1].value}"
TRUE_WORDS = {"1", "true", "yes", "是", "在用", "y"}
FALSE_WORDS = {"0", "false", "no", "否", "停用", "n"}
CREDIT_SEPARATORS = re.compile(r"[;；\n]+")
PHOTO_MARK = re.compile(r"\s*摄(影报道|影)?$")
# A subhead line: ``## 小标题`` (as exported and as the admin writes it) or ``# 小标题``; ``#话题#…`` is a paragraph.
SUBHEAD_LINE = re.compile(r"##|#\s")
JUMP_LINE = re.compile(r"[(（]\s*下?转第?[0-9一二三四五六七八九十]+版\s*[)）]")
# 2026-11-20, and as spreadsheets and people also write it: 2026/11/20, 2026.11.20, 2026年11月20日.
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass
class CorrespondentRow:
    source: str
    line: int
    name: str
    title: str
    unit: str = ""
    bureau: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True


@dataclass
class BureauRow:
    source: str
    line: int
    region: str
    active: bool = True


@dataclass
class TableReading:
    kind: str  # "stories", "correspondents", "bureaus" or "photos"
    stories: list = field(default_factory=list)
    correspondents: list = field(default_factory=list)
    bureaus: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def read_rows(data: bytes, *, source: str):
    """[(row number, {header: text})] from a CSV, XLSX or JSON file. Row 1 is the header.

    The limits (``limits``) are checked before the file is parsed, or as it is read.
    """
    name = source.lower()
    limits.check_bytes(source, len(data))
    if name.endswith(".xlsx"):
        return _xlsx_rows(data, source)
    text = decode_text(data, source=source)
    if name.endswith(".json"):
        return _json_rows(text, source)
    if name.endswith(".csv") or name.endswith(".tsv"):
        return _csv_rows(text, source, dialect="excel-tab" if name.endswith(".tsv") else "excel")
    raise BulletinFileError(source, "不认识的表格格式：应为 .csv、.xlsx 或 .json")


def _csv_rows(text, source, dialect):
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    try:
        rows = list(itertools.islice(reader, limits.max_rows() + 1))
        if len(rows) > limits.max_rows():
            # Counted without being kept, so the message can say how many.
            limits.check_rows(source, len(rows) + sum(1 for _ in reader))
    except csv.Error as error:
        # In practice a cell longer than the csv module reads (131,072 characters): a quote left open.
        raise BulletinFileError(
            source, f"第{reader.line_num}行无法读取：单元格超过 {csv.field_size_limit()} 个字符，或引号没有配对"
        ) from error
    if not rows:
        raise BulletinFileError(source, "表格是空的")
    header = [cell.strip() for cell in rows[0]]
    return [
        (number, dict(zip(header, [cell.strip() for cell in row], strict=False)))
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]


# A worksheet's declared size (<dimension ref="A1:F3000000"/>) and its rows, whatever the namespace prefix.
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}(\d+)(?::[A-Z]{1,3}(\d+))?\"")
ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _check_workbook(data, source):
    """Refuse an XLSX too big for the limits from the ZIP itself, before openpyxl opens it.

    First what the sheets declare, then the sizes the ZIP records (a bomb unpacks to gigabytes),
    then the rows, counted in the unpacked XML and no further than the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = [info for info in archive.infolist() if info.filename.lower().endswith(".xml")]
        for info in sheets:
            with archive.open(info) as member:
                match = DIMENSION.search(member.read(64 * 1024))
            if match:
                limits.check_rows(source, int(match.group(2) or match.group(1)))
        limits.check_bytes(
            source, sum(info.file_size for info in archive.infolist()), limit=limits.max_unpacked_bytes(), unpacked=True
        )
        for info in sheets:
            _check_sheet_rows(archive, info, source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as error:
        raise BulletinFileError(source, f"不是有效的 XLSX 文件（{error.__class__.__name__}）") from error


def _check_sheet_rows(archive, info, source):
    count, tail = 0, b""
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            # A row's tag may be cut between two chunks: a last "<" near the end waits for the next one.
            text = tail + chunk
            cut = text.rfind(b"<", max(0, len(text) - 64))
            cut = len(text) if cut < 0 else cut
            count += len(ROW.findall(text, 0, cut))
            tail = text[cut:]
            if count > limits.max_rows():
                limits.check_rows(source, count, known=False)
    count += len(ROW.findall(tail))
    limits.check_rows(source, count, known=False)


def _xlsx_rows(data, source):
    from openpyxl import load_workbook

    _check_workbook(data, source)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Rows a sheet skips come back empty: a lone row 3000000 would still be three million.
        cells = sheet.iter_rows(values_only=True, max_col=limits.MAX_COLUMNS)
        rows = list(itertools.islice(cells, limits.max_rows() + 1))
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as error:
        # SyntaxError: the XML inside is broken (xml.etree's ParseError).
        raise BulletinFileError(source, f"不是有效的 XLSX 文件（{error.__class__.__name__}）") from error
    limits.check_rows(source, len(rows), known=False)
    if not rows:
        raise BulletinFileError(source, "表格是空的")
    header = [cell_text(cell) for cell in rows[0]]
    return [
        (number, dict(zip(header, [cell_text(cell) for cell in row], strict=False)))
        for number, row in enumerate(rows[1:], start=2)
        if any(cell not in (None, "") for cell in row)
    ]


def cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# A JSON string, whose brackets are text; and a pair of brackets with nothing left between them.
JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
JSON_INNERMOST = re.compile(r"\[\]|\{\}")


def _json_too_deep(text):
    """Does ``text`` nest deeper than the limit? Each pass takes away the innermost level, all at once."""
    brackets = re.sub(r"[^\[\]{}]", "", JSON_STRING.sub("", text))
    for _ in range(limits.max_json_depth()):
        brackets = JSON_INNERMOST.sub("", brackets)
        if not brackets:
            return False
    # Unbalanced brackets are left to the parser, which says where.
    return JSON_INNERMOST.search(brackets) is not None


def _json_rows(text, source):
    if _json_too_deep(text):
        raise limits.too_deep(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BulletinFileError(source, f"不是有效的 JSON：第{error.lineno}行第{error.colno}列 {error.msg}") from error
    if isinstance(data, dict):
        data = data.get("stories") or data.get("items") or data.get("rows")
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise BulletinFileError(source, "JSON 应是一个对象列表，每个对象一行")
    limits.check_rows(source, len(data))
    # Row numbers count as in a table with a header: the first object is row 2.
    return [(number, row) for number, row in enumerate(data, start=2)]


def _columns(row, columns):
    """Map a row's headers onto our keys."""
    found = {}
    for key, names in columns.items():
        for name in names:
            if name in row:
                found[key] = row[name]
                break
    return found


def table_kind(headers):
    headers = set(headers)

    def has(columns, key):
        return bool(headers & set(columns[key]))

    if has(STORY_COLUMNS, "headline"):
        return "stories"
    if has(PHOTO_COLUMNS, "file"):
        return "photos"
    if has(CORRESPONDENT_COLUMNS, "name"):
        return "correspondents"
    if has(BUREAU_COLUMNS, "region"):
        return "bureaus"
    return None


def read_table(data: bytes, *, source: str, issue: int | None = None, rows=None) -> TableReading:
    """A table's stories, people or bureaus. ``rows`` may be given already read (the admin's upload).

    ``issue`` is the one issue every row must be on (a bundle's); without it each row names its own.
    """
    if rows is None:
        rows = read_rows(data, source=source)
    headers = set()
    for _, row in rows[:1]:
        headers |= set(row)
    kind = table_kind(headers) if rows else None
    if kind is None:
        return TableReading(
            kind="unknown",
            errors=[
                Problem(
                    source, 1, None, "认不出这是什么表格：稿件表须有“标题”（headline）列，通讯员表须有“姓名”（name）列"
                )
            ],
        )
    reading = TableReading(kind=kind)
    for number, row in rows:
        problems = []
        if kind == "stories":
            item = story_from_row(
                _columns(row, STORY_COLUMNS), source=source, line=number, issue=issue, problems=problems
            )
            if item is not None:
                reading.stories.append(item)
        elif kind == "photos":
            values = _columns(row, PHOTO_COLUMNS)
            reading.photos.append((_text(values.get("reference")), _photo_from_row(values, source, number, problems)))
        elif kind == "correspondents":
            values = _columns(row, CORRESPONDENT_COLUMNS)
            name = _text(values.get("name"))
            if not name:
                problems.append(Problem(source, number, "name", "姓名不能为空"))
            reading.correspondents.append(
                CorrespondentRow(
                    source=source,
                    line=number,
                    name=name,
                    title=_text(values.get("title")) or "通讯员",
                    unit=_text(values.get("unit")),
                    bureau=_text(values.get("bureau")),
                    phone=_text(values.get("phone")),
                    email=_text(values.get("email")),
                    active=_flag(values.get("active"), source, number, "active", problems),
                )
            )
        else:
            values = _columns(row, BUREAU_COLUMNS)
            region = _text(values.get("region"))
            if not region:
                problems.append(Problem(source, number, "region", "地区不能为空"))
            reading.bureaus.append(
                BureauRow(source, number, region, _flag(values.get("active"), source, number, "active", problems))
            )
        reading.errors += problems
    return reading


def _text(value):
    if value is None:
        return ""
    text = str(value).strip()
    # Our exports guard cells that a spreadsheet would run as formulas, or that start with a quote, with a quote.
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "'"):
        return text[1:]
    return text


def _flag(value, source, line, name, problems):
    text = _text(value).lower()
    if not text or text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    problems.append(Problem(source, line, name, f"“{value}”应为 是/否（true/false）"))
    return True


def _number(values, key, source, line, problems, *, required=False, minimum=1):
    text = _text(values.get(key))
    if not text:
        if required:
            problems.append(Problem(source, line, key, "不能为空，应为正整数"))
        return None
    if not re.fullmatch(r"\d{1,9}", text) or int(text) < minimum:
        problems.append(Problem(source, line, key, f"“{text[:30]}”不是有效的数字，应为不小于{minimum}的整数"))
        return None
    return int(text)


def _date(values, key, label, source, line, problems):
    """A date cell as YYYY-MM-DD; "" when empty or wrong (and then the problem is noted)."""
    text = _text(values.get(key))
    if not text:
        return ""
    match = DATE.fullmatch(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            pass
    problems.append(Problem(source, line, key, f"{label}“{text[:20]}”无效，应写成 2026-11-20"))
    return ""


def _moment(values, key, label, source, line, problems):
    """A date and time cell (2026-11-20 06:00, or ISO with its offset); None when empty or wrong."""
    text = _text(values.get(key))
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        problems.append(Problem(source, line, key, f"{label}“{text[:30]}”无效，应写成 2026-11-20 06:00"))
        return None


def parse_credits(text, *, source, line, problems):
    """``通讯员 王熙乐；记者 李四；通讯员 鱼勇 摄`` → credits; a trailing 摄 marks a photo credit."""
    if isinstance(text, list):
        return _credits_from_list(text, source, line, problems)
    credits = []
    for entry in CREDIT_SEPARATORS.split(_text(text)):
        entry = entry.strip()
        if not entry:
            continue
        contribution = "text"
        if PHOTO_MARK.search(entry):
            contribution = "photo"
            entry = PHOTO_MARK.sub("", entry).strip()
        parsed = parse_byline(entry, contribution)
        if not parsed:
            problems.append(
                Problem(source, line, "credits", f"读不懂署名“{entry[:30]}”，应写作“通讯员 张三”，多人用“；”分开")
            )
            continue
        credits += parsed
    return credits


def _credits_from_list(entries, source, line, problems):
    from .pagetext import Credit

    credits = []
    for entry in entries:
        if isinstance(entry, str):
            credits += parse_credits(entry, source=source, line=line, problems=problems)
        elif isinstance(entry, dict) and _text(entry.get("name")):
            contribution = entry.get("contribution") or "text"
            if contribution not in ("text", "photo"):
                problems.append(Problem(source, line, "credits", f"贡献“{contribution}”无效，应为 text 或 photo"))
                continue
            credits.append(Credit(_text(entry["name"]), _text(entry.get("title")) or None, contribution))
        else:
            problems.append(Problem(source, line, "credits", "每个署名应有 name"))
    return credits


def parse_body(value, *, source, line, problems):
    """(kind, value) pairs (``body.make``'s) from a JSON list of blocks or the editor's plain text.

    In the text, a （转第3版） line marks where the part printed on another page begins: ("jump", "").
    """
    if isinstance(value, list):
        blocks = []
        for number, block in enumerate(value, start=1):
            made = story_body.make([block]) if isinstance(block, dict) and "kind" in block else [block]
            try:
                story_body.validate(made)
            except ValidationError as error:
                message = error.messages[0].removesuffix("。").replace("正文第1块", f"正文第{number}块", 1)
                problems.append(Problem(source, line, "body", message))
                continue
            blocks += _pairs(made)
        return blocks
    blocks, lines = [], []
    for text_line in [*_text(value).splitlines(), None]:
        if text_line is not None and not JUMP_LINE.fullmatch(text_line.strip()):
            lines.append(text_line)
            continue
        blocks += _pairs(story_body.from_editable("\n".join(lines)))
        lines = []
        if text_line is not None:
            blocks.append(("jump", ""))
    return blocks


def _pairs(body):
    """Stored blocks as ``body.make``'s pairs: a text, a photo's number, a table's rows."""
    pairs = []
    for block in body:
        if block["kind"] == story_body.PHOTO:
            pairs.append((block["kind"], block["photo"]))
        elif block["kind"] == story_body.TABLE:
            pairs.append((block["kind"], {key: block[key] for key in ("rows", "header", "caption")}))
        else:
            pairs.append((block["kind"], block["text"]))
    return pairs


def story_from_row(values, *, source, line, issue=None, problems):
    headline = _text(values.get("headline"))
    if not headline:
        problems.append(Problem(source, line, "headline", "标题不能为空"))
    kind_text = _text(values.get("kind")) or "article"
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        problems.append(Problem(source, line, "kind", f"类型“{kind_text[:20]}”无效，应为 article 或 photo"))
    state_text = _text(values.get("state"))
    state = STATES.get(state_text.lower()) if state_text else ""
    if state is None:
        problems.append(Problem(source, line, "state", f"状态“{state_text[:20]}”无效，应为 {STATE_WORDS}"))
    event_date = _date(values, "event_date", "日期", source, line, problems)
    row_issue = _number(values, "issue", source, line, problems)
    if row_issue is not None and issue is not None and row_issue != issue:
        problems.append(Problem(source, line, "issue", f"期号 {row_issue} 与整期包的第{issue}期不符"))
    body = parse_body(values.get("body"), source=source, line=line, problems=problems)
    jumps = [index for index, (kind, _) in enumerate(body) if kind == "jump"]
    continuation_start = jumps[0] if jumps else None
    body = [block for block in body if block[0] != "jump"]
    if not body:
        problems.append(Problem(source, line, "body", "正文不能为空"))
    item = StoryItem(
        source=source,
        line=line,
        headline=headline,
        kind=kind or "article",
        kicker=_text(values.get("kicker")),
        subheadline=_text(values.get("subheadline")),
        bureau=_text(values.get("bureau")),
        region=_text(values.get("region")),
        event_date=event_date,
        credits=parse_credits(values.get("credits") or "", source=source, line=line, problems=problems),
        body=body,
        continued_from_page=_number(values, "continued_from_page", source, line, problems),
        continued_on_page=_number(values, "continued_on_page", source, line, problems),
        page=_number(values, "page", source, line, problems),
        position=_number(values, "position", source, line, problems, minimum=0) or 0,
        reference=_text(values.get("reference")),
        status=state or "",
        continuation_start=continuation_start,
        published_at=_moment(values, "published_at", "发布时间", source, line, problems),
        correction=_text(values.get("correction")),
        corrected_at=_moment(values, "corrected_at", "更正时间", source, line, problems),
        withdrawn_reason=_text(values.get("withdrawn_reason")),
        issue=row_issue,
        issue_date=_date(values, "issue_date", "出版日期", source, line, problems),
        topics=parse_topics(values["topics"]) if "topics" in values else None,
    )
    return item


def parse_topics(value):
    """``两会、委员履职`` → ["两会", "委员履职"]: a 专题 cell's names, in order, each once; [] for an empty cell."""
    if isinstance(value, list):
        names = [_text(name) for name in value]
    else:
        names = [name.strip() for name in TOPIC_SEPARATORS.split(_text(value))]
    return list(dict.fromkeys(name for name in names if name))


def _photo_from_row(values, source, line, problems):
    file = _text(values.get("file"))
    caption = _text(values.get("caption"))
    if not file:
        problems.append(Problem(source, line, "file", "图片文件名不能为空"))
    if not caption:
        problems.append(Problem(source, line, "caption", "图片说明不能为空"))
    return PhotoItem(
        file=file,
        caption=caption,
        alt=_text(values.get("alt")),
        photographer=_text(values.get("photographer")),
        photographer_title=_text(values.get("photographer_title")) or None,
        source=source,
        line=line,
    )
