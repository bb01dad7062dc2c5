"""What every bulletin source turns into before anything is written: stories as plain data.

Page texts, tables and bundles all become ``StoryItem``s; the import service
resolves their names against the database and writes them. Nothing here
touches the database.
"""

from dataclasses import dataclass, field

from newsroom import body as story_body

from .pagetext import Credit, PageReading, Problem

__all__ = ["Credit", "PhotoItem", "Problem", "StoryItem", "items_from_page"]


@dataclass
class PhotoItem:
    file: str  # the name of the image inside the bundle
    caption: str
    alt: str = ""
    photographer: str = ""  # a name, as printed
    photographer_title: str | None = None
    source: str = ""
    line: int | None = None


@dataclass
class StoryItem:
    source: str  # the file it came from
    line: int | None  # the line (page text) or row (table) it starts at
    headline: str
    kind: str = "article"
    kicker: str = ""
    subheadline: str = ""
    dateline: str | None = None  # the place printed in 本报XX讯; "" for 本报讯; None for none
    bureau: str = ""  # a bureau's slug or place, from a table
    region: str = ""  # a region's slug or name, from a table
    event_date: str = ""  # YYYY-MM-DD from a table; pages give dates without years
    credits: list[Credit] = field(default_factory=list)
    # ("paragraph"|"subhead"|"quote", text), ("photo", number), ("table", {"rows", "header", "caption"})
    body: list[tuple[str, object]] = field(default_factory=list)
    continued_from_page: int | None = None
    continued_on_page: int | None = None
    issue: int | None = None  # a table's issue column; once planned, the issue it goes on
    issue_date: str = ""  # from a table's issue_date column, YYYY-MM-DD
    page: int | None = None
    position: int = 0
    reference: str = ""
    status: str = ""  # "" means the importer's default: submitted for review
    published_at: object = None  # a datetime, from a table
    correction: str = ""  # a published story's correction note, from a table
    corrected_at: object = None  # a datetime, from a table
    withdrawn_reason: str = ""  # why a withdrawn story was taken down, from a table
    continuation_start: int | None = None  # where the part continued on another page begins
    photos: list[PhotoItem] = field(default_factory=list)
    # Where the story stands on its printed page(s), read from a page PDF:
    # [{"page": N, "x", "y", "w", "h"}], fractions of the page's width and height, origin top-left.
    zones: list[dict] = field(default_factory=list)
    # The 专题 a table's row names; None where the source has no such column (page texts), so that
    # importing a page again leaves the story's topics as the desk set them.
    topics: list[str] | None = None

    @property
    def where(self):
        return f"{self.source} 第{self.line}行" if self.line else self.source

    def as_dict(self):
        """The shape ``import_bulletin --json`` prints."""
        return {
            "kind": self.kind,
            "kicker": self.kicker or None,
            "headline": self.headline,
            "subheadline": self.subheadline or None,
            "dateline": self.dateline,
            "credits": [credit.as_dict() for credit in self.credits],
            "paragraphs": [text for kind, text in self.body if kind == "paragraph"],
            "subheads": [text for kind, text in self.body if kind == "subhead"],
            "body": story_body.make(self.body),
            "continued_from_page": self.continued_from_page,
            "continued_on_page": self.continued_on_page,
            "issue": self.issue,
            "page": self.page,
            "position": self.position,
            "reference": self.reference,
            "source": self.source,
            "line": self.line,
            "zones": self.zones,
        }


def items_from_page(
    reading: PageReading, *, source: str, issue: int | None, page: int | None, zones: list[list[dict]] | None = None
):
    """The stories of one page text (or page PDF, with each story's `zones`), keyed by issue, page and position."""
    items = []
    for position, story in enumerate(reading.items, start=1):
        story_zones = zones[position - 1] if zones else []
        items.append(
            StoryItem(
                source=source,
                line=story.line,
                kind=story.kind,
                kicker=story.kicker or "",
                headline=story.headline,
                subheadline=story.subheadline,
                dateline=story.dateline,
                credits=list(story.credits),
                body=list(story.body),
                continued_from_page=story.continued_from_page,
                continued_on_page=story.continued_on_page,
                page=page,
                position=position,
                reference=f"{issue}-{page}-{position}" if issue and page else "",
                zones=[{"page": page, **zone} for zone in story_zones],
            )
        )
    return items
