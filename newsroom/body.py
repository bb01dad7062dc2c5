"""A story's body: an ordered list of paragraphs and subheads.

Stored as JSON, ``[{"kind": "paragraph", "text": "…"}, {"kind": "subhead", "text": "…"}]``,
and only ever rendered through templates with escaping, so no markup typed by
anyone reaches a page.

For editing, the body is written as plain text: one paragraph per line (blank
lines between are fine), and a subhead is a line starting with ``## ``.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

PARAGRAPH = "paragraph"
SUBHEAD = "subhead"
KINDS = (PARAGRAPH, SUBHEAD)
SUBHEAD_MARK = "## "


@dataclass(frozen=True)
class Block:
    kind: str
    text: str

    @property
    def is_paragraph(self):
        return self.kind == PARAGRAPH

    @property
    def is_subhead(self):
        return self.kind == SUBHEAD


def make(blocks):
    """JSON body from ``(kind, text)`` pairs, dropping empty text."""
    return [{"kind": kind, "text": text.strip()} for kind, text in blocks if text and text.strip()]


def blocks(body):
    return [Block(item["kind"], item["text"]) for item in body or []]


def validate(body):
    if not isinstance(body, list):
        raise ValidationError("正文应是段落和小标题的列表。")
    for number, item in enumerate(body, start=1):
        if not isinstance(item, dict) or set(item) != {"kind", "text"}:
            raise ValidationError(f"正文第{number}块格式不对：应有 kind 和 text 两项。")
        if item["kind"] not in KINDS:
            raise ValidationError(f"正文第{number}块的类型“{item['kind']}”无效，应为 paragraph 或 subhead。")
        if not isinstance(item["text"], str) or not item["text"].strip():
            raise ValidationError(f"正文第{number}块是空的。")


def lead(body):
    """The text of the first paragraph, or ""."""
    return next((item["text"] for item in body or [] if item["kind"] == PARAGRAPH), "")


def shorten(text, length):
    """At most ``length`` characters, the last of them "…" where it was cut.

    As Django's ``Truncator(text).chars(length)`` for the paper's text, at a twentieth of its cost.
    """
    return text if len(text) <= length else text[: length - 1] + "…"


def plain_text(body):
    return "\n".join(item["text"] for item in body or [])


def to_editable(body):
    lines = []
    for block in blocks(body):
        lines.append(SUBHEAD_MARK + block.text if block.is_subhead else block.text)
    return "\n\n".join(lines)


def from_editable(text):
    pairs = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(SUBHEAD_MARK.strip()):
            pairs.append((SUBHEAD, line.lstrip("#").strip()))
        else:
            pairs.append((PARAGRAPH, line))
    return make(pairs)
