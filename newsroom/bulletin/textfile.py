"""Turn the bytes of an uploaded page-text file into text.

Pages come out of the layout program or from correspondents' own machines, so a file may
be UTF-8 (with or without a BOM), UTF-16 with a BOM (Windows Notepad's "Unicode"), or
GB18030/GBK (older Chinese Windows). Anything else is refused with a message staff can act on.
"""

import codecs
import re

EMPTY = "文件为空"
BINARY = "不是文本文件（含有二进制数据）"
UNKNOWN_ENCODING = "无法识别的文本编码，请使用 UTF-8 或 GB18030"

# Control characters that never occur in text typed by a person (tab, newline, carriage
# return and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# Characters expected in a Chinese newspaper page: ASCII, Latin letters, general and CJK
# punctuation, kana, CJK ideographs (with extension A), full-width forms.
_UNUSUAL = re.compile(
    r"[^\t\n\f\r\x20-\x7e\xa0-\u024f\u2000-\u27bf\u3000-\u33ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)

_MOSTLY = 0.9


class BulletinFileError(ValueError):
    """A page file that cannot be read as text; `source` names the file."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


def decode_text(data: bytes, *, source: str) -> str:
    """Return the text of `data` with line endings normalised to \\n."""
    text = _decode(data, source)
    if not text.strip():
        raise BulletinFileError(source, EMPTY)
    if _share(_CONTROL, text) > 1 - _MOSTLY:
        raise BulletinFileError(source, BINARY)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, source: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _plausible(_strict(data, "utf-16", source), source)
    if b"\x00" in data:
        raise BulletinFileError(source, BINARY)
    # UTF-8 first: it is strict, so bytes that decode as UTF-8 are UTF-8. GB18030 decodes
    # nearly any bytes and only serves as the fallback.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return _plausible(_strict(data, "gb18030", source), source)


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise BulletinFileError(source, UNKNOWN_ENCODING) from None


def _plausible(text: str, source: str) -> str:
    """Refuse a decode that lands mostly outside the characters of a Chinese page.

    GB18030 and UTF-16 turn many byte strings into *some* characters; gibberish is not text.
    """
    if _share(_UNUSUAL, text) > 1 - _MOSTLY:
        raise BulletinFileError(source, UNKNOWN_ENCODING)
    return text


def _share(pattern: re.Pattern[str], text: str) -> float:
    """The share of `text`'s characters that `pattern` matches."""
    if not text:
        return 0.0
    return sum(1 for _ in pattern.finditer(text)) / len(text)
