"""Text pasted from Word, WPS or a web page, made into the paper's clean paragraphs.

static/js/body-editor.js does the same in the browser as the text is pasted; the form does it
again on save, so a page without JavaScript gets the same body.
"""

import re

from .body import CAPTION_LINE, ESCAPE, PHOTO_LINE, QUOTE_LINE, SUBHEAD_LINE

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han characters, and the full-width punctuation and quotes that sit among them.
CJK = f"{HAN}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
SENTENCE_ENDS = "。！？…"
CLOSERS = "”’」』）》"
# Sentence punctuation: a short line with none of it is a heading, not a broken line.
SENTENCE_MARKS = "，。；：！？,.;:!?"
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
ODD_SPACES = re.compile("[\u00a0\u2002-\u200a\u202f\u205f]")
SPACES = re.compile("[ \t\u3000]+")
INDENT = re.compile("[\u3000\t]| {2}")
HALF_WIDTH_PUNCTUATION = re.compile(r"\s*([,:;?!])\s*")
PARENTHESES = re.compile(r"\(([^()]*)\)")
SPACE_AT_PUNCTUATION = re.compile("[ ]+(?=[，。；：！？、）”》])|(?<=[（“《，。；：！？、])[ ]+")
HEADING_LENGTH = 16
FULL_LINE = 0.6


def clean_pasted(text):
    """The paper's style for pasted text; the editable syntax's marks (``## ``, ``> ``, ``[图2]``, tables) kept.

    - Invisible characters (zero-width spaces, soft hyphens, BOM) go; non-breaking and other odd
      spaces become plain ones; runs of spaces, tabs and full-width spaces become one space, and
      leading and trailing ones go.
    - Full-width digits and Latin letters (２０２３, ＧＤＰ) become half-width.
    - ``,`` ``:`` ``;`` ``?`` ``!`` after a Han character or a Chinese punctuation mark, or before
      one unless a Latin letter or a digit precedes them, become ``，`` ``：`` ``；`` ``？`` ``！``, with
      the spaces around them gone; ``(…)`` holding or beside Han becomes ``（…）``. Numbers
      (1,000; 10:30), dates, addresses (https://…) and Latin text keep theirs.
    - Spaces before Chinese punctuation, and after an opening one or a comma or stop, go.
    - A line broken inside a paragraph is joined to the next (with no space between Han, one
      between Latin words) when it does not end a sentence (。！？… possibly in a closing quote or
      bracket), is nearly as wide as the widest line around it (60%), is not a short heading
      (16 characters or fewer without sentence punctuation), and the next line is text that does
      not start a paragraph: not blank, not indented (a full-width space, a tab, two spaces), not a mark.
    """
    lines = []
    for raw in INVISIBLE.sub("", text or "").splitlines():
        raw = ODD_SPACES.sub(" ", raw)
        lines.append((bool(INDENT.match(raw)), clean_line(raw)))
    return "\n".join(_join(lines))


def clean_line(line):
    """One line in the paper's style (``clean_pasted``'s rules but the joining)."""
    line = SPACES.sub(" ", line).strip()
    line = line.translate(_HALF_WIDTH)
    line = HALF_WIDTH_PUNCTUATION.sub(_punctuation, line)
    line = PARENTHESES.sub(_parentheses, line)
    return SPACE_AT_PUNCTUATION.sub("", line)


_HALF_WIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def _is_cjk(character):
    return bool(character) and re.match(f"[{CJK}]", character) is not None


def _punctuation(match):
    line, start, end = match.string, match.start(), match.end()
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if _is_cjk(before) or (_is_cjk(after) and not (before.isascii() and before.isalnum())):
        return FULL_WIDTH[match[1]]
    return match[0]


def _parentheses(match):
    line, start, end = match.string, match.start(), match.end()
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if re.search(f"[{HAN}]", match[1] + before + after):
        return f"（{match[1].strip()}）"
    return match[0]


def _is_mark(line):
    return line.startswith(("|", ESCAPE)) or bool(
        PHOTO_LINE.fullmatch(line) or SUBHEAD_LINE.fullmatch(line) or CAPTION_LINE.fullmatch(line)
    )


def _width(line):
    return sum(2 if _is_cjk(character) else 1 for character in line)


def _ends_sentence(line):
    tail = line.rstrip(CLOSERS)
    return bool(tail) and tail[-1] in SENTENCE_ENDS


def _is_heading(line):
    return len(line) <= HEADING_LENGTH and not any(mark in line for mark in SENTENCE_MARKS)


def _joinable(line):
    """A line that may take the next one: text or a quote, not a subhead, a photo or a table's line."""
    return bool(line) and not _is_mark(line)


def _join(lines):
    joined = []
    widest = 0
    for index, (indented, line) in enumerate(lines):
        if not line:
            widest = 0
            joined.append("")
            continue
        # The widest line of this run of lines, the one before and the ones after up to a blank.
        if not widest:
            widest = max(_width(text) for _, text in _run(lines, index))
        previous = joined[-1] if joined else ""
        if (
            previous
            and not indented
            and not _is_mark(line)
            and not QUOTE_LINE.fullmatch(line)
            and _joinable(previous)
            and not _ends_sentence(previous)
            and not _is_heading(previous)
            and _width(lines[index - 1][1]) >= FULL_LINE * widest
        ):
            space = "" if _is_cjk(previous[-1]) or _is_cjk(line[0]) else " "
            joined[-1] = previous + space + line
        else:
            joined.append(line)
    return joined


def _run(lines, index):
    end = index
    while end < len(lines) and lines[end][1]:
        end += 1
    return lines[index:end]
