"""What a reader sees on a page: the text of its elements, picked out as a stylesheet would pick them.

``texts(response, "article.story-item h3")`` is every story headline of a list, in the page's order.
A selector is a chain of ``tag``, ``.class``, ``#id`` or ``tag.class`` steps, each inside the one before.
"""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def texts(page, selector):
    """The text of every element ``selector`` picks, whitespace collapsed, in the page's order."""
    html = page.content.decode() if hasattr(page, "content") else page
    parser = _Picker([_step(part) for part in selector.split()])
    parser.feed(html)
    parser.close()
    return [re.sub(r"\s+", " ", "".join(parts)).strip() for parts in parser.found]


def headlines(page):
    """The headlines of a list of stories, in order."""
    return texts(page, "article.story-item h3")


def _step(text):
    match = re.fullmatch(r"([a-z0-9]*)((?:[.#][\w-]+)*)", text)
    if match is None:
        raise ValueError(f"not a selector step: {text!r}")
    tag, rest = match.groups()
    classes = set(re.findall(r"\.([\w-]+)", rest))
    ids = re.findall(r"#([\w-]+)", rest)
    return tag or None, classes, ids[0] if ids else None


def _matches(step, element):
    tag, classes, element_id = step
    return (tag is None or tag == element[0]) and classes <= element[1] and (element_id in (None, element[2]))


class _Picker(HTMLParser):
    def __init__(self, steps):
        super().__init__(convert_charrefs=True)
        self.steps = steps
        self.open = []  # (tag, classes, id, index into found or None)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = (tag, set((attrs.get("class") or "").split()), attrs.get("id"))
        capture = None
        if _matches(self.steps[-1], element) and self._ancestors_match():
            capture = len(self.found)
            self.found.append([])
        if tag not in VOID:
            self.open.append((*element, capture))

    def _ancestors_match(self):
        wanted = list(self.steps[:-1])
        for element in self.open:
            if wanted and _matches(wanted[0], element):
                wanted.pop(0)
        return not wanted

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        for element in self.open:
            if element[3] is not None:
                self.found[element[3]].append(data)


def heading_levels(page):
    """The levels of the page's headings, h1 to h6, in the page's order: ``[1, 2, 3, 3]``."""
    html = page.content.decode() if hasattr(page, "content") else page
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def skipped_levels(page):
    """Each place the page's headings skip a level going down (h1 straight to h3), as ``(from, to)``."""
    levels = heading_levels(page)
    return [(before, after) for before, after in zip([0, *levels], levels, strict=False) if after > before + 1]


def attributes_of(page, tag, **wanted):
    """The attributes of every ``tag`` element whose attributes include ``wanted`` (``class_`` for class)."""
    html = page.content.decode() if hasattr(page, "content") else page
    wanted = {name.rstrip("_"): value for name, value in wanted.items()}
    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, name, attrs):
            attrs = dict(attrs)
            if name == tag and all(value in (attrs.get(key) or "").split() for key, value in wanted.items()):
                found.append(attrs)

    Finder().feed(html)
    return found
