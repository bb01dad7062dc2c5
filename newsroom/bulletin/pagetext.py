"""Read the plain text of one laid-out newspaper page as a person reads it.

The layout program hands out a page column by column: headings on lines of their own,
paragraphs cut wherever a column ends, datelines (本报张掖讯), bylines in brackets,
continuation markers (接一版, 下转第四版) and photo credits glued to the text. `parse_page`
turns that into stories: kicker, headline, dateline, credits, the body in reading order,
and the pages a story is continued from or on. What cannot be read with confidence is
reported as a warning or an error with its line and a message in Chinese for the desk,
never silently dropped.

How a page is read, in short:

- Every non-blank line is a chunk. A chunk that does not end a sentence continues into the
  next one, across blank lines, joined with no space; otherwise a short chunk with no
  sentence punctuation is a heading.
- A run of two heading lines is kicker and headline; `XX县政协：标题` is too, when the part
  before the colon names a body. A line starting with —— under the headline is its subtitle (副题).
- A single heading line inside an unfinished story is a subhead, unless what follows says a
  story starts: a dateline, a 接X版 marker, a byline line, a photo credit ending the
  section, or a headline opening with a local body (西和县政协…). A story that ended with a
  trailing byline, a 转X版 marker, a photo credit or (完) is closed: the next heading opens
  a new story.
- The page's furniture goes first: its head (the paper's name, the date, 第二版 and the page's
  name, the editors' line), its folio and its advertisements, each with a warning.
- Items keep the errors found in them; callers must not import a page with errors.

Run as a script to print the reading of one file as JSON:

    python -m newsroom.bulletin.pagetext PAGE.txt
"""

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field

from .textfile import BulletinFileError, decode_text

# --- What the parser returns ---------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    name: str
    title: str | None  # as printed: 通讯员, 本报记者, ...; None for a bare name like (李岩)
    contribution: str = "text"  # "text" or "photo"

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "contribution": self.contribution}


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class StoryReading:
    kind: str = "article"  # "article" or "photo"
    kicker: str | None = None
    headline: str = ""
    subheadline: str = ""  # 副题, without its dashes: ——临洮县政协专题协商会侧记 → 临洮县政协专题协商会侧记
    dateline: str | None = None  # 张掖 from 本报张掖讯, "" for 本报讯, None without one
    dateline_date: str | None = None  # 5月4日 from 本报天水5月4日讯
    credits: list[Credit] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    body: list[tuple[str, str]] = field(default_factory=list)  # ("paragraph"|"subhead", text)
    continued_from_page: int | None = None
    continued_on_page: int | None = None
    line: int = 0  # where the story starts in the source, 1-based

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "dateline_date": self.dateline_date,
            "credits": [credit.as_dict() for credit in self.credits],
            "paragraphs": list(self.paragraphs),
            "subheads": list(self.subheads),
            "body": [{"kind": kind, "text": text} for kind, text in self.body],
            "continued_from_page": self.continued_from_page,
            "continued_on_page": self.continued_on_page,
            "line": self.line,
        }


@dataclass
class PageReading:
    items: list[StoryReading]
    errors: list[Problem]
    warnings: list[Problem]
    page_name: str = ""  # 市县新闻, from the page's head or folio
    page_number: int | None = None  # 2, from 第二版 or 02版 in the page's head or folio
    editor: str = ""  # 张伟, from the editors' line: 责任编辑：张伟 美术编辑：李娜

    def as_dict(self) -> dict:
        return {
            "items": [item.as_dict() for item in self.items],
            "errors": [problem.as_dict() for problem in self.errors],
            "warnings": [problem.as_dict() for problem in self.warnings],
            "page_name": self.page_name,
            "page_number": self.page_number,
            "editor": self.editor,
        }


# --- The trade's punctuation and words -------------------------------------------------

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
OPEN_BRACKETS = "(（"
CLOSE_BRACKETS = ")）"
SENTENCE_ENDS = "。！？!?…"
# A sentence may end inside a quote or a bracket: 。” or 。）
CLOSERS = "”’」』）)》】\"'"
NAME_DOTS = "·•・‧"

# Longest first, so that 本报记者 is not read as 本报 + 记者.
TITLES = (
    "特约通讯员",
    "本报通讯员",
    "特约记者",
    "本报记者",
    "摄影记者",
    "见习记者",
    "实习记者",
    "首席记者",
    "通讯员",
    "实习生",
    "记者",
)
_TITLE = re.compile("|".join(TITLES))
_TITLE_SPLIT = re.compile("(" + "|".join(TITLES) + ")")
_NAME = re.compile(f"[{CJK}]{{2,4}}|[{CJK}]{{1,8}}[{NAME_DOTS}][{CJK}]{{1,8}}")
_NAME_RUN = re.compile(f"[{CJK}]+(?:[{NAME_DOTS}][{CJK}]+)?")
_NAME_SEPARATORS = re.compile(r"[\s、，,/]+")
# Short words that fit the shape of a name but are not people.
_NOT_NAMES = {"完", "待续", "未完待续", "续完", "扩大", "摘编", "转载", "供稿", "报道", "摄影"}
# Words that open a dispatch right after a byline printed without brackets.
_LEAD_WORDS = {"近日", "日前", "连日来", "近期", "今年", "目前", "昨天", "今天", "据悉"}

PHOTO_SUFFIXES = ("摄影报道", "摄影", "摄")
# A caption may be as short as a headline; these openings say it is a caption.
CAPTION_OPENINGS = ("图为", "上图", "下图", "左图", "右图", "图①", "图一")

# The part before a colon is a kicker only when it names a body: 渭源县政协：…
# One character ends many names of bodies: 县委, 统战部, 人民法院, 卫健局, 工商联.
BODY_SUFFIXES = ("政协", "人大", "政府", "中心", "支部", "街道", *"委局会院办部厅联所镇乡")
_KICKER_MAX = 12
# A headline that opens with a local body is a story of its own, not a subhead:
# 西和县政协卫生界委员开展义诊活动. (全市政协…, 各县区… are too general to tell.)
_BODY_OPENING = re.compile(f"(?![全各])[{CJK}]{{1,6}}?[省市州县区](?:政协|人大|政府)")
# A subtitle (副题) under a headline: ——甘州区政协“协商在基层”工作见闻
SUBTITLE_DASHES = ("——", "—", "--")
_HEADING_MAX = 40
# Characters that never end a heading, or never sit in one: a chunk with them is prose.
_PROSE_MARKS = "。，,；;"
_PROSE_ENDINGS = ("：", ":", "、")
_QUESTION_ENDS = ("？", "！", "?", "!")
# (完) closes a story the way a trailing byline does.
_END_MARKS = ("（完）", "(完)")

_PAGE = r"([0-9０-９]+|[一二三四五六七八九十两〇零]+)"
_CONTINUED_FROM = re.compile(rf"[(（]\s*上?接\s*第?\s*{_PAGE}\s*版\s*[)）]")
_CONTINUED_ON = re.compile(rf"[(（]\s*下?转\s*第?\s*{_PAGE}\s*版\s*[)）]$")
_MARKER_MAX = 16  # the longest marker, （下转第十二版）, with room for spaces
# 本报讯, 本报张掖讯, 本报天水5月4日讯; but not 本报通讯员.
_DATELINE = re.compile(rf"本报\s*([{CJK}]{{0,6}}?)\s*((?:[0-9０-９]{{1,2}}月)?[0-9０-９]{{1,2}}日)?\s*讯(?!员)")
_BYLINE_MAX = 40  # a bracket that closes further away than this is not a byline's
_QUOTED_MAX = 20  # how much of a paragraph a message quotes

_CHINESE_DIGITS = dict(zip("零一二三四五六七八九", range(10), strict=True)) | {"〇": 0, "两": 2}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def page_number(text: str) -> int | None:
    """4, ４, 四, 十二 -> the number; None for anything else."""
    text = text.translate(_FULLWIDTH_DIGITS)
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _CHINESE_DIGITS) or (ones and ones not in _CHINESE_DIGITS):
            return None
        tens_value = _CHINESE_DIGITS[tens] if tens else 1
        return tens_value * 10 + (_CHINESE_DIGITS[ones] if ones else 0)
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    return None


def ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence: 。！？… possibly inside a closing quote or bracket."""
    text = text.rstrip().rstrip(CLOSERS)
    return bool(text) and text[-1] in SENTENCE_ENDS


def _is_name(word: str) -> bool:
    return bool(_NAME.fullmatch(word)) and word not in _NOT_NAMES


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") and char not in NAME_DOTS


# --- Bylines and credits ---------------------------------------------------------------


def parse_byline(content: str, contribution: str = "text") -> list[Credit] | None:
    """Read `通讯员 张三 李四`, `通讯员张三 记者李四`, `李岩` as credits.

    Each title applies to the names after it, up to the next title. Returns None unless
    the whole of `content` is titles and names.
    """
    credits: list[Credit] = []
    title = None
    title_waiting = False  # a title is printed but no name has followed it yet
    for piece in _TITLE_SPLIT.split(content):
        if piece in TITLES:
            if title_waiting:
                return None
            title, title_waiting = piece, True
            continue
        for name in _NAME_SEPARATORS.split(piece.strip()):
            if not name:
                continue
            if not _is_name(name):
                return None
            credits.append(Credit(name, title, contribution))
            title_waiting = False
    if title_waiting or not credits:
        return None
    return credits


def _is_byline_word(word: str) -> bool:
    return word in TITLES or parse_byline(word) is not None


@dataclass
class _RecoveredByline:
    credits: list[Credit]
    rest: str  # the text after the byline
    guessed: bool  # the name ran straight into the text and was cut by guess


def _recover_byline(text: str) -> _RecoveredByline | None:
    """Read a byline whose brackets are missing: `(通讯员王熙乐6月28日,…`, `通讯员 王熙乐 6月28日…`.

    The byline ends where something that is not a title or a name starts: a date, a
    punctuation mark, a word longer than a name.
    """
    pos = 1 if text.startswith(tuple(OPEN_BRACKETS)) else 0
    credits: list[Credit] = []
    title = None
    names_under_title = 0
    guessed = False
    while pos < len(text):
        while pos < len(text) and (text[pos].isspace() or text[pos] == "、"):
            pos += 1
        title_match = _TITLE.match(text, pos)
        if title_match:
            title, names_under_title = title_match.group(), 0
            pos = title_match.end()
            continue
        run_match = _NAME_RUN.match(text, pos)
        if title is None or run_match is None:
            break
        run = run_match.group()
        next_title = _TITLE.search(run)
        if next_title and next_title.start() > 0:  # 张三记者李四: the name stops at the title
            run = run[: next_title.start()]
        if names_under_title == 0:
            if not _NAME.fullmatch(run):
                # The text runs on from the name with nothing between; most names have
                # three characters.
                run, guessed = run[:3], True
            credits.append(Credit(run, title))
            names_under_title += 1
            pos += len(run)
            if guessed:
                break
            continue
        # A further name under the same title must stand apart as a word of its own.
        after = text[pos + len(run) : pos + len(run) + 1]
        stands_apart = after == "" or after.isspace() or after in CLOSE_BRACKETS + "、"
        stands_apart = stands_apart or after.isdigit()
        if not (_is_name(run) and stands_apart and run not in _LEAD_WORDS):
            break
        credits.append(Credit(run, title))
        names_under_title += 1
        pos += len(run)
    if not credits:
        return None
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos < len(text) and text[pos] in CLOSE_BRACKETS:
        pos += 1
    return _RecoveredByline(credits, text[pos:].lstrip(), guessed)


def _split_photo_credit(text: str) -> tuple[list[Credit], str] | None:
    """`…防治知识。通讯员 鱼勇 摄影报道` -> ([鱼勇 通讯员 photo], `…防治知识。`)."""
    for suffix in PHOTO_SUFFIXES:
        if text.endswith(suffix):
            head = text[: -len(suffix)]
            break
    else:
        return None
    # The credit follows the caption's last punctuation mark, or stands on its own.
    start = len(head)
    while start > 0 and not _is_punctuation(head[start - 1]):
        start -= 1
    words = list(re.finditer(r"\S+", head[start:]))
    first = len(words)
    while first > 0 and _is_byline_word(words[first - 1].group()):
        first -= 1
    if first == len(words):
        return None
    credit_start = start + words[first].start()
    credits = parse_byline(head[credit_start:], "photo")
    if credits is None:
        return None
    return credits, head[:credit_start].rstrip()


def _split_trailing_byline(text: str) -> tuple[list[Credit], str] | None:
    """`…助力产品研发生产。(李岩)` -> ([李岩], `…助力产品研发生产。`)."""
    if not text.endswith(tuple(CLOSE_BRACKETS)):
        return None
    window = max(0, len(text) - _BYLINE_MAX)
    opening = max(text.rfind("(", window), text.rfind("（", window))
    if opening < 0:
        return None
    content = text[opening + 1 : -1]
    before = text[:opening].rstrip()
    # (扩大) at the end of an unfinished sentence is part of it, not a byline.
    if before and not ends_sentence(before):
        return None
    photo = _split_photo_credit(content.strip())
    if photo is not None and not photo[1]:
        return photo[0], before
    credits = parse_byline(content)
    if credits is None:
        return None
    return credits, before


def _split_continued_on(text: str) -> tuple[int, str] | None:
    """`…(下转第四版)` -> (4, `…`)."""
    tail_start = max(0, len(text) - _MARKER_MAX)
    match = _CONTINUED_ON.search(text, tail_start)
    if match is None:
        return None
    page = page_number(match.group(1))
    if page is None:
        return None
    return page, text[: match.start()].rstrip()


def split_kicker(heading: str) -> tuple[str, str] | None:
    """`渭源县政协：加快构建现代产业体系` -> (`渭源县政协`, `加快构建现代产业体系`).

    Only when the part before the colon is short and names a body; otherwise the colon
    belongs to the headline.
    """
    colon = min((i for i in (heading.find("："), heading.find(":")) if i >= 0), default=-1)
    if colon < 0:
        return None
    kicker, headline = heading[:colon].strip(), heading[colon + 1 :].strip()
    if not headline or not 2 <= len(kicker) <= _KICKER_MAX:
        return None
    if not kicker.endswith(BODY_SUFFIXES):
        return None
    return kicker, headline


# --- Reading the page line by line -----------------------------------------------------


class _Problems:
    def __init__(self, source: str):
        self.source = source
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, line: int | None, field_name: str | None, message: str) -> None:
        self.errors.append(Problem(self.source, line, field_name, message))

    def warn(self, line: int | None, field_name: str | None, message: str) -> None:
        self.warnings.append(Problem(self.source, line, field_name, message))


@dataclass
class _Block:
    """A heading line, or a paragraph with the structure found around it.

    A paragraph that the columns cut is one block made of several chunks (`parts`).
    """

    line: int
    heading: str | None = None
    parts: list[str] = field(default_factory=list)
    continued_from: int | None = None
    has_dateline: bool = False
    dateline: str | None = None
    dateline_date: str | None = None
    credits: list[Credit] = field(default_factory=list)
    continued_on: int | None = None
    # A trailing byline, a photo credit or a 转X版 marker: the story stops here.
    closed: bool = False

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def starts_story(self) -> bool:
        return self.has_dateline or self.continued_from is not None

    @property
    def is_open(self) -> bool:
        """A paragraph the columns cut before its sentence ended."""
        return bool(self.parts) and not self.closed and not ends_sentence(self.parts[-1])

    @property
    def is_trailing_only(self) -> bool:
        """A line holding only what closes a paragraph: (李岩), 张三 摄, (下转第四版)."""
        return not self.parts and not self.starts_story and self.closed

    @property
    def has_photo_credit(self) -> bool:
        return any(credit.contribution == "photo" for credit in self.credits)

    def absorb(self, other: "_Block") -> None:
        self.parts.extend(other.parts)
        self.credits.extend(other.credits)
        if other.continued_on is not None:
            self.continued_on = other.continued_on
        self.closed = self.closed or other.closed


def _read_chunk(text: str, line: int, problems: _Problems) -> _Block:
    """Pull the structure out of one non-blank line; what is left is body text."""
    block = _Block(line=line)
    rest = text
    match = _CONTINUED_FROM.match(rest)
    if match and page_number(match.group(1)) is not None:
        block.continued_from = page_number(match.group(1))
        rest = rest[match.end() :].lstrip()
    match = _DATELINE.match(rest)
    if match:
        block.has_dateline = True
        block.dateline = match.group(1)
        block.dateline_date = match.group(2)
        block.credits, rest = _read_dateline_byline(rest[match.end() :], line, problems)
        rest = rest.lstrip(" ，,：:")  # 本报讯，6月28日 …
    rest = _pull_trailing(block, rest)
    bare_byline = None if block.starts_story else _bare_byline(rest)
    if bare_byline:
        block.credits[:0] = bare_byline
    elif rest:
        block.parts.append(rest)
    return block


def _read_dateline_byline(text: str, line: int, problems: _Problems) -> tuple[list[Credit], str]:
    """The byline right after a dateline: `(通讯员王熙乐)6月28日,…` -> credits and the rest."""
    text = text.lstrip()
    if text.startswith(tuple(OPEN_BRACKETS)):
        closing = _closing_bracket(text)
        if closing is not None:
            credits = parse_byline(text[1:closing])
            if credits:
                return credits, text[closing + 1 :].lstrip()
    elif not _TITLE.match(text):
        return [], text
    recovered = _recover_byline(text)
    if recovered is None:
        return [], text
    names = "、".join(credit.name for credit in recovered.credits)
    message = f"电头后的署名缺少括号或括号不全，已读作署名“{names}”"
    if recovered.guessed:
        message += "；姓名与正文连在一起，是按三个字切开的，请核对"
    problems.warn(line, "credits", message)
    return recovered.credits, recovered.rest


def _closing_bracket(text: str) -> int | None:
    """Where the bracket opening `text` closes, if it does so nearby without nesting."""
    for index in range(1, min(len(text), _BYLINE_MAX)):
        if text[index] in CLOSE_BRACKETS:
            return index
        if text[index] in OPEN_BRACKETS:
            return None
    return None


def _pull_trailing(block: _Block, text: str) -> str:
    """Take what closes a story off the end of `text`, from the outside in.

    As printed: …正文。(李岩)(下转第四版), …正文。(完), …图片说明。通讯员 鱼勇 摄影报道.
    Each is taken once, so that no run of markers makes the work grow with the text.
    """
    continued = _split_continued_on(text)
    if continued is not None:
        block.continued_on, text = continued
        block.closed = True
    end_mark = next((mark for mark in _END_MARKS if text.endswith(mark)), None)
    if end_mark is not None:
        text = text[: -len(end_mark)].rstrip()
        block.closed = True
    credited = _split_trailing_byline(text) or _split_photo_credit(text)
    if credited is not None:
        credits, text = credited
        block.credits.extend(credits)
        block.closed = True
    return text


def _bare_byline(text: str) -> list[Credit] | None:
    """A byline on its own line under a headline: `本报记者 张三`, `通讯员 张三 李四`.

    Needs a title and a space, so that a heading like 记者节特稿 stays a heading.
    """
    if not _TITLE.match(text) or " " not in text:
        return None
    return parse_byline(text)


def _is_heading(block: _Block, *, may_ask: bool = False) -> bool:
    """A short line with no sentence punctuation and no structure: kicker, headline, subhead.

    With `may_ask`, a line ending in ？ or ！ passes too: a headline may ask or exclaim,
    but only the dateline under it can tell it from a short paragraph.
    """
    if block.starts_story or block.credits or block.closed or len(block.parts) != 1:
        return False
    text = block.parts[0]
    if len(text) > _HEADING_MAX or any(mark in text for mark in _PROSE_MARKS):
        return False
    if text.endswith(_PROSE_ENDINGS) or text.startswith(CAPTION_OPENINGS):
        return False
    if may_ask and text.endswith(_QUESTION_ENDS):
        text = text.rstrip("".join(_QUESTION_ENDS))
    return not ends_sentence(text)


def _read_blocks(text: str, problems: _Problems) -> list[_Block]:
    """Headings and paragraphs, with the paragraphs cut by the columns joined again."""
    blocks: list[_Block] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        chunk = _read_chunk(line, number, problems)
        previous = blocks[-1] if blocks and blocks[-1].heading is None else None
        if previous is not None and previous.is_open and not chunk.starts_story:
            # The tail of a cut paragraph, even when it looks like a heading.
            previous.absorb(chunk)
            continue
        if previous is not None and chunk.is_trailing_only:
            previous.absorb(chunk)
            continue
        if previous is not None and chunk.has_dateline and _is_heading(previous, may_ask=True):
            previous.heading = previous.parts.pop()  # 委员为何点赞？ over 本报XX讯
        if _is_heading(chunk):
            chunk.heading = chunk.parts.pop()
        blocks.append(chunk)
    return blocks


# --- Page furniture: what the page prints around its stories --------------------------
#
# Text taken from a laid-out page starts with the page's head (the paper's name, the date,
# 第二版 and the page's name, the editors' line) and ends with its folio (2 市县新闻); an
# advertisement may close a story area. None of it is a story. A line that can only be
# furniture (an editors' line, a date with its weekday, 第二版 市县新闻, 广告热线…) goes
# wherever it stands; a line that is furniture only by its form (甘肃政协报, 2 市县新闻,
# 2023年6月30日) goes only in the run of furniture at the top or the bottom of the page.

_FURNITURE_SPLIT = re.compile(r"[\s·•|丨｜/]+")
_YEAR_DATES = (
    re.compile(r"[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日"),
    re.compile(r"[0-9]{4}[-.][0-9]{1,2}[-.][0-9]{1,2}"),
    re.compile("[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"),
)
_WEEKDAY = re.compile("(?:星期|礼拜|周)[一二三四五六日天]")
_DAY = re.compile(r"[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")  # a date without its year: only beside a weekday
_LUNAR_DATE = re.compile(r"农历\S+")
_ISSUE_NUMBER = re.compile(r"总?第\s*[0-9]+\s*期|CN\s*[0-9]{2}-[0-9]{4}(?:/[A-Z]+)?")
# 第二版, 第2版, 02版, A2版; the paper's own page, not the 转二版 of a story, which keeps its brackets.
_PAGE_HEAD = re.compile(
    r"第\s*([0-9]{1,2}|[一二三四五六七八九十两]{1,3})\s*版|(?<![0-9A-Za-z])([A-Za-z]?)([0-9]{1,2})\s*版"
)
_LETTERED_PAGE = re.compile("[A-Za-z][0-9]{1,2}")  # A2: a page of section A
_FOLIO_NUMBER = re.compile("[0-9]{1,2}")
_PAGE_NAME = re.compile(f"[{CJK}]{{2,8}}")  # 市县新闻, 要闻, 专题
_PAPER_NAME = re.compile(f"[{CJK}]{{1,10}}报")  # 甘肃政协报, 人民日报
# Words ending in 报 that name no paper: a headline may end with them.
_NOT_PAPERS = (
    "通报",
    "喜报",
    "捷报",
    "汇报",
    "公报",
    "预报",
    "举报",
    "申报",
    "回报",
    "上报",
    "填报",
    "呈报",
    "情报",
    "海报",
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'&-]{4,}")  # GANSU CPPCC NEWS under the Chinese name
# The editors' line, read with its spaces taken out: 责 任 编 辑：张 伟.
_EDITOR_OPENINGS = ("责任编辑", "本版编辑", "本版责编", "美术编辑", "图片编辑", "责任校对", "版式设计", "责编", "美编")
_EDITOR_OPENINGS_WITH_COLON = ("编辑", "校对", "版式", "组版", "审校")
_EDITOR_MAX = 80
_CONTACT = re.compile(r"(?:联系)?(?:电话|传真|邮箱|电子邮箱|E-?mail|邮编|地址|网址|微信|QQ)[：:]", re.IGNORECASE)
_AD_LINE = re.compile(r"(?:广告|招商|订阅|订报|发行|征订)(?:热线|电话|专线)[：:]?.*[0-9]{5}|广告经营许可证")
_AD_LABELS = ("广告", "(广告)", "（广告）", "【广告】", "[广告]")
_AD_TEXT_MAX = 24  # a line of an advertisement above its hotline: short, with no sentence in it
_AD_REACH = 8  # how far below its 广告 label an advertisement's hotline may be


@dataclass
class _Furniture:
    kind: str  # as the desk calls it: 报头, 版面日期, 版头, 编辑署名, 版面联系方式, 广告
    sure: bool  # furniture wherever it stands, not only at the top or the bottom of the page
    page_name: str = ""
    page_number: int | None = None
    bare_page: bool = False  # 第二版 with no name: the name may stand on a line of its own
    ad_label: bool = False
    editor: str = ""  # the 责任编辑 an editors' line names


@dataclass
class _PageOwn:
    """What the page's head or folio says of the page itself."""

    name: str = ""
    number: int | None = None
    editor: str = ""


def _running_head(line: str) -> _Furniture | None:
    """A line made only of the page's running head: paper, date, weekday, 第二版, the page's name."""
    rest = line.translate(_FULLWIDTH_DIGITS)
    if _LATIN_NAME.fullmatch(rest):
        return _Furniture("报头", sure=False)
    found = set()
    number = None
    for pattern in _YEAR_DATES:
        if pattern.search(rest):
            found.add("date")
            rest = pattern.sub(" ", rest)
    if _WEEKDAY.search(rest):
        found.add("weekday")
        rest = _WEEKDAY.sub(" ", rest)
        if _DAY.search(rest):
            found.add("date")
            rest = _DAY.sub(" ", rest)
    for pattern, part in ((_LUNAR_DATE, "date"), (_ISSUE_NUMBER, "issue")):
        if pattern.search(rest):
            found.add(part)
            rest = pattern.sub(" ", rest)
    for match in _PAGE_HEAD.finditer(rest):
        found.add("page")
        if match.group(1):
            number = number or page_number(match.group(1))
        elif not match.group(2):
            number = number or int(match.group(3))
    rest = _PAGE_HEAD.sub(" ", rest)
    names = []
    for token in _FURNITURE_SPLIT.split(rest.strip(" ：:")):
        token = token.strip("：:")
        if not token:
            continue
        if _LETTERED_PAGE.fullmatch(token):
            found.add("page")
        elif _FOLIO_NUMBER.fullmatch(token) and "number" not in found:
            found.add("number")
            number = number or int(token)
        elif _PAPER_NAME.fullmatch(token) and not token.endswith(_NOT_PAPERS) and "paper" not in found:
            found.add("paper")
        elif _PAGE_NAME.fullmatch(token) and not names:
            names.append(token)
        else:
            return None
    if not found or (names and not found & {"page", "number", "date"}):
        return None
    sure = "page" in found or {"date", "weekday"} <= found or ("paper" in found and len(found) > 1)
    if "paper" in found or found <= {"issue"}:
        kind = "报头"
    elif found & {"page", "number"} or names:
        kind = "版头"
    else:
        kind = "版面日期"
    bare = bool(found & {"page", "number"}) and not names and found <= {"page", "number"}
    name = names[0] if names else ""
    return _Furniture(kind, sure, page_name=name, page_number=number, bare_page=bare)


def _furniture(line: str) -> _Furniture | None:
    """What piece of the page's furniture `line` is, if it has the form of one."""
    tight = re.sub(r"\s+", "", line)
    if tight in _AD_LABELS:
        return _Furniture("广告", sure=True, ad_label=True)
    if _AD_LINE.match(tight):
        return _Furniture("广告", sure=True)
    if any(mark in tight for mark in "。，；;") or len(tight) > _EDITOR_MAX:
        return None
    if _is_editor_line(line, tight):
        return _Furniture("编辑署名", sure=True, editor=editor_named(line))
    if _CONTACT.match(tight):
        return _Furniture("版面联系方式", sure=False)
    if len(line) > _HEADING_MAX:
        return None
    return _running_head(line)


def _is_editor_line(line: str, tight: str) -> bool:
    """责任编辑：张 伟 美术编辑：李 娜; but not 责编手记, a column's name."""
    for opening in _EDITOR_OPENINGS + _EDITOR_OPENINGS_WITH_COLON:
        if tight.startswith(opening):
            after = tight[len(opening) :]
            if after.startswith(("：", ":")):
                return True
            return opening in _EDITOR_OPENINGS and bool(re.search(r"\s", line))
    return False


# 责任编辑 and the name after it, up to the next role of the line: 责任编辑：张 伟 美术编辑：李 娜.
_EDITOR_IN_CHARGE = re.compile(r"(?:责\s*任\s*编\s*辑|本\s*版\s*责\s*编|责\s*编)\s*[：:]?\s*(.*)")
_NEXT_ROLE = re.compile("|".join(r"\s*".join(opening) for opening in (*_EDITOR_OPENINGS, *_EDITOR_OPENINGS_WITH_COLON)))


def editor_named(line: str) -> str:
    """The editor in charge an editors' line names, its spaces taken out; "" if it names none.

    ``editor_named("责 任 编 辑：张 伟  美术编辑：李娜")`` is ``"张伟"``.
    """
    found = _EDITOR_IN_CHARGE.search(line)
    if found is None:
        return ""
    rest = found.group(1)
    following = _NEXT_ROLE.search(rest)
    if following is not None:
        rest = rest[: following.start()]
    return re.sub(r"\s+", "", rest).strip("：:;；,，、")


def _starts_a_story(line: str) -> bool:
    return bool(_DATELINE.match(line) or _CONTINUED_FROM.match(line))


def _holds_no_story(line: str) -> bool:
    """Nothing of a story's structure: no dateline, 接X版, byline or photo credit."""
    block = _read_chunk(line, 0, _Problems(""))
    return not (block.starts_story or block.closed or block.credits)


def _is_ad_text(line: str) -> bool:
    """A line of an advertisement above its hotline: short, with no sentence and nothing of a story."""
    if len(line) > _AD_TEXT_MAX or any(mark in line for mark in _PROSE_MARKS) or ends_sentence(line):
        return False
    return _holds_no_story(line)


def _find_furniture(lines: list[str]) -> dict[int, _Furniture]:
    """The furniture among the page's non-blank `lines`, by their index."""
    count = len(lines)
    pieces = [_furniture(line) for line in lines]

    def sure(index):
        return 0 <= index < count and pieces[index] is not None and pieces[index].sure

    # The page's name on a line of its own, beside a 第二版 that has none: furniture only with
    # furniture or the page's edge on its other side, so that a kicker under 第二版 stays a kicker.
    for index, line in enumerate(lines):
        if pieces[index] is not None or not _PAGE_NAME.fullmatch(line):
            continue
        for beside, other in ((index - 1, index + 1), (index + 1, index - 1)):
            bare = 0 <= beside < count and pieces[beside] is not None and pieces[beside].bare_page
            if bare and (not 0 <= other < count or pieces[other] is not None):
                pieces[index] = _Furniture("版头", sure=True, page_name=line)
                break

    found: dict[int, _Furniture] = {}
    # The top: a run of furniture. A paper's name alone there may be the first story's kicker
    # (甘肃日报 over a story about it): it is the masthead only beside a date or a page's head.
    end = 0
    while end < count and pieces[end] is not None:
        end += 1
    if end == 1 and pieces[0].kind == "报头" and not pieces[0].sure:
        end = 0
    found.update((index, pieces[index]) for index in range(end))
    # The bottom: nothing after the last story can be one, but a contact line may end a notice.
    start = count
    while start > end and pieces[start - 1] is not None:
        piece = pieces[start - 1]
        if piece.kind == "版面联系方式" and not (sure(start - 2) or sure(start)):
            break
        start -= 1
    for index in range(start, count):
        piece = pieces[index]
        if piece.kind == "版头":
            piece = _Furniture("版脚", piece.sure, piece.page_name, piece.page_number)
        found[index] = piece
    # Between them, only what is surely furniture.
    for index in range(end, start):
        if sure(index):
            found[index] = pieces[index]
    # Advertisements: from a 广告 label down to the last hotline or contact line near it, or to the
    # page's folio when no story follows; above a hotline, the short lines of its advertisement.
    for index in range(end, count):
        piece = found.get(index)
        if piece is None or piece.kind != "广告":
            continue
        block = [index]
        if piece.ad_label:
            contacts = []
            for after in range(index + 1, min(count, index + 1 + _AD_REACH)):
                if _starts_a_story(lines[after]):
                    break
                if pieces[after] is not None and pieces[after].kind in ("广告", "版面联系方式"):
                    contacts.append(after)
            if contacts:
                block += range(index + 1, contacts[-1] + 1)
            elif all(_holds_no_story(line) for line in lines[index + 1 : start]):
                block += range(index + 1, start)
        else:
            above = index - 1
            while above >= end and above not in found and _is_ad_text(lines[above]):
                block.append(above)
                above -= 1
        for member in block:
            if member not in found or found[member].kind != "广告":
                found[member] = _Furniture("广告", sure=True)
    return found


def furniture_lines(lines: list[str]) -> dict[int, tuple[str, str, int | None, str]]:
    """The furniture among `lines` (non-blank, in reading order), by index: its kind, page name, number and editor.

    For readers that find lines another way, such as a PDF page's: the same rules as for a page text.
    """
    return {
        index: (piece.kind, piece.page_name, piece.page_number, piece.editor)
        for index, piece in _find_furniture(lines).items()
    }


def _drop_furniture(text: str, problems: _Problems) -> tuple[str, _PageOwn]:
    """The page's text with its furniture blanked out, a warning for each line, and what it says of the page."""
    lines = text.split("\n")
    numbered = [(number, line.strip()) for number, line in enumerate(lines) if line.strip()]
    own = _PageOwn()
    for index, piece in sorted(_find_furniture([line for _, line in numbered]).items()):
        number, line = numbered[index]
        lines[number] = ""
        shown = line if len(line) <= _HEADING_MAX else line[:_HEADING_MAX] + "…"
        problems.warn(number + 1, None, f"{piece.kind}“{shown}”不是稿件，已略去")
        own.name = own.name or piece.page_name
        own.number = own.number or piece.page_number
        own.editor = own.editor or piece.editor
    return "\n".join(lines), own


# --- Putting blocks together into stories ----------------------------------------------


@dataclass
class _Story:
    line: int
    kicker: str | None = None
    headline: str = ""
    subheadline: str = ""
    dateline: str | None = None
    dateline_date: str | None = None
    # In reading order. A person credited twice for the same work (本报记者 陈晓 under the
    # headline, 记者 陈晓 at the end) is one credit, as first printed.
    credits: dict[tuple[str, str], Credit] = field(default_factory=dict)
    body: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    continued_from: int | None = None
    continued_on: int | None = None
    closed: bool = False
    last_block: _Block | None = None

    @classmethod
    def from_headings(cls, run: list[_Block]) -> "_Story":
        story = cls(line=run[0].line)
        headings = [block.heading for block in run]
        kicker_and_headline = split_kicker(headings[0])
        if kicker_and_headline is not None:
            story.kicker, story.headline = kicker_and_headline
            rest = headings[1:]
        elif len(headings) >= 2 and not headings[1].startswith(SUBTITLE_DASHES):
            # Two heading lines: the upper one is the kicker (引题) above the headline.
            story.kicker, story.headline = headings[0], headings[1]
            rest = headings[2:]
        else:
            story.headline, rest = headings[0], headings[1:]
        # The subtitle (副题) under the headline; printed in the headline's own line, it stays part of it.
        subtitles = []
        while rest and rest[0].startswith(SUBTITLE_DASHES):
            subtitles.append(rest.pop(0).lstrip("—-").strip())
        story.subheadline = " ".join(subtitle for subtitle in subtitles if subtitle)
        for heading in rest:
            story.add_subhead(heading)
        return story

    @property
    def named(self) -> str:
        """The story as a message names it: 稿件“标题”."""
        return f"稿件“{self.headline}”" if self.headline else "这篇稿件"

    @property
    def is_photo_report(self) -> bool:
        """Captions credited to a photographer, with nothing of an article about them."""
        return (
            bool(self.credits)
            and all(credit.contribution == "photo" for credit in self.credits.values())
            and self.dateline is None
            and self.continued_from is None
            and self.continued_on is None
            and not self.subheads
        )

    def add_subhead(self, text: str) -> None:
        self.body.append(("subhead", text))
        self.subheads.append(text)

    def add(self, block: _Block) -> None:
        if block.continued_from is not None and self.continued_from is None:
            self.continued_from = block.continued_from
        if block.has_dateline and self.dateline is None:
            self.dateline, self.dateline_date = block.dateline, block.dateline_date
        for credit in block.credits:
            self.credits.setdefault((credit.name, credit.contribution), credit)
        if block.parts:
            self.body.append(("paragraph", block.text))
            self.paragraphs.append(block.text)
        if block.continued_on is not None:
            self.continued_on = block.continued_on
        self.closed = self.closed or block.closed
        self.last_block = block

    def takes_headless(self, block: _Block) -> bool:
        """Whether a paragraph with no heading before it still belongs to this story."""
        if block.has_dateline:
            return not self.paragraphs and self.dateline is None
        if block.continued_from is not None:
            return not self.paragraphs
        if self.closed and block.has_photo_credit:
            return self.is_photo_report  # one more photo of the same report
        return True

    def finish(self, problems: _Problems) -> StoryReading:
        if not self.headline:
            message = "稿件没有标题"
            if self.paragraphs:
                message += f"：以“{_quoted(self.paragraphs[0])}”开头的正文前应有一行标题"
            problems.error(self.line, "headline", message)
        if not self.paragraphs:
            problems.error(self.line, "paragraphs", f"{self.named}没有正文")
        last = self.last_block
        if last is not None and last.is_open and self.continued_on is None:
            problems.warn(
                last.line, "paragraphs", f"{self.named}在句子中间结束：这一段没有句末标点，可能缺了后文或转版标记"
            )
        return StoryReading(
            kind="photo" if self.is_photo_report else "article",
            kicker=self.kicker,
            headline=self.headline,
            subheadline=self.subheadline,
            dateline=self.dateline,
            dateline_date=self.dateline_date,
            credits=list(self.credits.values()),
            paragraphs=list(self.paragraphs),
            subheads=list(self.subheads),
            body=list(self.body),
            continued_from_page=self.continued_from,
            continued_on_page=self.continued_on,
            line=self.line,
        )


def _quoted(text: str) -> str:
    """The start of a paragraph, short enough to quote in a message."""
    return text if len(text) <= _QUOTED_MAX else text[:_QUOTED_MAX] + "…"


def _starts_story(run: list[_Block], following: list[_Block], story: _Story | None) -> bool:
    """Whether a run of heading lines opens a new story rather than a subhead of `story`.

    `following` holds the blocks after the run, up to the next heading.
    """
    heading = run[0].heading
    if story is None or story.closed or len(run) >= 2 or split_kicker(heading):
        return True
    if _BODY_OPENING.match(heading):
        return True
    if not following:
        return True  # a heading with nothing under it; the checks will say so
    first = following[0]
    if first.starts_story:
        return True
    # A byline on its own line sits under a headline, never under a subhead.
    if first.credits and not first.parts:
        return True
    # A headline over captions that end in a photographer's credit: a photo report.
    return following[-1].has_photo_credit and not any(b.has_dateline for b in following)


def _group_stories(blocks: list[_Block], problems: _Problems) -> list[_Story]:
    stories: list[_Story] = []
    story: _Story | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.heading is not None:
            end = index
            while end < len(blocks) and blocks[end].heading is not None:
                end += 1
            after = end
            while after < len(blocks) and blocks[after].heading is None:
                after += 1
            run = blocks[index:end]
            if _starts_story(run, blocks[end:after], story):
                story = _Story.from_headings(run)
                stories.append(story)
            else:
                for heading in run:
                    story.add_subhead(heading.heading)
            index = end
            continue
        if story is None or not story.takes_headless(block):
            story = _Story(line=block.line)
            stories.append(story)
        elif story.closed and not story.is_photo_report:
            problems.warn(
                block.line,
                "paragraphs",
                f"{story.named}已在署名、（完）或转版标记处结束，其后的这段文字已并入该稿件，请核对",
            )
        story.add(block)
        index += 1
    return stories


def parse_page(text: str, *, source: str = "<page>") -> PageReading:
    """Read the text of one page into its stories, with the problems found on the way."""
    problems = _Problems(source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, page = _drop_furniture(text, problems)
    stories = _group_stories(_read_blocks(text, problems), problems)
    items = [story.finish(problems) for story in stories]
    if not items:
        problems.error(None, None, "文件中没有读到任何稿件：应有标题和正文")
    return PageReading(
        items=items,
        errors=sorted(problems.errors, key=lambda problem: problem.line or 0),
        warnings=sorted(problems.warnings, key=lambda problem: problem.line or 0),
        page_name=page.name,
        page_number=page.number,
        editor=page.editor,
    )


# --- Command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m newsroom.bulletin.pagetext FILE", file=sys.stderr)
        return 2
    path = args[0]
    try:
        with open(path, "rb") as handle:
            reading = parse_page(decode_text(handle.read(), source=path), source=path)
    except BulletinFileError as error:
        reading = PageReading([], [Problem(path, None, None, error.message)], [])
    except OSError as error:
        reading = PageReading([], [Problem(path, None, None, error.strerror or str(error))], [])
    print(json.dumps(reading.as_dict(), ensure_ascii=False, indent=1))
    return 1 if reading.errors else 0


if __name__ == "__main__":
    sys.exit(main())
