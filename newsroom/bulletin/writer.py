"""Writing an issue back out: table rows that import as they were, and page texts as the paper prints them."""

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
    """One block a line, subheads after ``## ``; a continued story's jump as （转第3版） on its own line."""
    lines = []
    for index, block in enumerate(story.blocks):
        if index == story.continuation_start and story.continued_on_page:
            lines.append(f"（转第{story.continued_on_page}版）")
        lines.append(("## " if block.is_subhead else "") + block.text)
    return "\n".join(lines)


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
        blocks = story.blocks
        if story.page == number:
            end = story.continuation_start if story.continuation_start is not None else len(blocks)
            part, first_part = blocks[:end], True
        else:
            part, first_part = blocks[story.continuation_start or 0 :], False
        if story.kicker and first_part:
            chunks.append(story.kicker)
        chunks.append(story.headline)
        if story.subheadline and first_part:
            chunks.append(f"——{story.subheadline}")
        lead = story.dateline if first_part else ""
        if not first_part:
            chunks.append(f"（接{page_in_words(story.page)}版）")
        elif story.continued_from_page:
            chunks.append(f"（接{page_in_words(story.continued_from_page)}版）")
        paragraphs = []
        for block in part:
            if block.is_subhead:
                paragraphs.append(block.text)
            elif not paragraphs and lead:
                paragraphs.append(lead + block.text)
            else:
                paragraphs.append(block.text)
        if first_part and story.trailing_byline and paragraphs:
            paragraphs[-1] += f"（{story.trailing_byline}）"
        if story.is_photo_report:
            credit = " ".join(
                " ".join(part for part in [credit.title, credit.correspondent.name] if part)
                for credit in story.photo_credits()
            )
            if credit and paragraphs:
                paragraphs[-1] += f"{credit} 摄影报道"
        if first_part and story.continued_on_page and story.continued_on_page != number and paragraphs:
            paragraphs[-1] += f"（下转第{page_in_words(story.continued_on_page)}版）"
        chunks += paragraphs
    return "\n\n".join(chunks) + "\n"
