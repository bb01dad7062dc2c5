"""Writing an issue back out: table rows that import as they were, and page texts as the paper prints them."""

from dataclasses import dataclass

from newsroom import body as story_body

CHINESE_NUMBERS = "零一二三四五六七八九十"
STORY_HEADER = [
    "reference",
    "issue",
    "page",
    "position",
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "bureau",
    "region",
    "event_date",
    "credits",
    "body",
    "continued_from_page",
    "continued_on_page",
    "state",
    "published_at",
    "correction",
    "corrected_at",
    "withdrawn_reason",
    "topics",
]
PHOTO_HEADER = ["reference", "file", "caption", "alt", "photographer", "photographer_title"]


def page_in_words(number):
    if number <= 10:
        return CHINESE_NUMBERS[number]
    if number < 20:
        return "十" + (CHINESE_NUMBERS[number - 10] if number > 10 else "")
    return str(number)


def credits_text(credits):
    """``通讯员 王熙乐；李岩；通讯员 鱼勇 摄``: the credits cell, read back by ``tables.parse_credits``."""
    parts = []
    for credit in credits:
        text = " ".join(part for part in [credit.title, credit.correspondent.name] if part)
        parts.append(text + (" 摄" if credit.contribution == "photo" else ""))
    return "；".join(parts)


def body_text(story):
    """The body in the editor's syntax (``body.block_lines``), a block a line; a continued story's jump as
    （转第3版） on its own line. A table stands between blank lines, so that it ends where it ends and a
    paragraph above it never reads as its caption."""
    lines = []
    for index, block in enumerate(story.blocks):
        if index == story.continuation_start and story.continued_on_page:
            lines.append(f"（转第{story.continued_on_page}版）")
        if block.is_table:
            lines += ["", *story_body.block_lines(block), ""]
        else:
            lines += story_body.block_lines(block)
    return "\n".join(lines).strip("\n")


def story_row(story):
    return [
        story.reference,
        story.issue.number if story.issue_id else "",
        story.page or "",
        story.position,
        story.kind,
        story.kicker,
        story.headline,
        story.subheadline,
        story.bureau.slug if story.bureau_id else "",
        story.region.slug if story.region_id else "",
        story.event_date.isoformat() if story.event_date else "",
        credits_text(story.credits.all()),
        body_text(story),
        story.continued_from_page or "",
        story.continued_on_page or "",
        story.status,
        story.published_at.isoformat() if story.published_at else "",
        story.correction,
        story.corrected_at.isoformat() if story.corrected_at else "",
        story.withdrawn_reason,
        "、".join(topic.name for topic in story.topics.all()),
    ]


def page_text(number, stories):
    """The text of page ``number`` as the layout program would give it, one story after another."""
    chunks = []
    for story in stories:
        part = story_part(number, story)
        chunks += [text for text in (part.kicker, part.headline, part.subheadline) if text]
        chunks += [text for _, text in part.blocks]
    return "\n\n".join(chunks) + "\n"


@dataclass
class PrintedPart:
    """What of a story stands on one page, as printed: its heads, then its blocks ("paragraph" or "subhead")."""

    kicker: str
    headline: str
    subheadline: str  # with its dash: ——…
    blocks: list


def story_part(number, story):
    """The part of ``story`` printed on page ``number``: the whole, its first part, or its continuation (接X版)."""
    blocks = story.blocks
    if story.page == number:
        end = story.continuation_start if story.continuation_start is not None else len(blocks)
        part, first_part = blocks[:end], True
    else:
        part, first_part = blocks[story.continuation_start or 0 :], False
    kicker = story.kicker if first_part else ""
    subheadline = f"——{story.subheadline}" if story.subheadline and first_part else ""
    lead = story.dateline if first_part else ""
    paragraphs = []
    if not first_part:
        paragraphs.append(("paragraph", f"（接{page_in_words(story.page)}版）"))
    elif story.continued_from_page:
        paragraphs.append(("paragraph", f"（接{page_in_words(story.continued_from_page)}版）"))
    text = []
    for block in part:
        if block.is_photo:
            continue  # a page's text has no photos
        if block.is_table:
            # A table prints as its caption and a line a row.
            lines = ([block.caption] if block.caption else []) + ["　".join(row) for row in block.rows]
            text += [["paragraph", line] for line in lines]
        elif block.is_subhead:
            text.append(["subhead", block.text])
        elif not text and lead:
            text.append(["paragraph", lead + block.text])
        else:
            text.append(["paragraph", block.text])
    if first_part and story.trailing_byline and text:
        text[-1][1] += f"（{story.trailing_byline}）"
    if story.is_photo_report:
        credit = " ".join(
            " ".join(part for part in [credit.title, credit.correspondent.name] if part)
            for credit in story.photo_credits()
        )
        if credit and text:
            text[-1][1] += f"{credit} 摄影报道"
    if first_part and story.continued_on_page and story.continued_on_page != number and text:
        text[-1][1] += f"（下转第{page_in_words(story.continued_on_page)}版）"
    return PrintedPart(kicker, story.headline, subheadline, paragraphs + [tuple(block) for block in text])
