"""No English on the admin pages a role opens: each role walks every page its desk links to, as that role."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Region
from newsroom.services import roles
from newsroom.services.workflow import Action, transition

from . import factories
from .conftest import make_user

pytestmark = pytest.mark.django_db

# Latin script a page may show: names of file formats, which have no Chinese names (导出 CSV, 整期包 ZIP,
# the readers' RSS link on a preview, the kinds of photo an upload takes).
ALLOWED = {"CSV", "ZIP", "PDF", "RSS", "JPEG", "PNG", "WebP"}
# Pages a walk does not open: leaving the admin, and files rather than pages.
NOT_PAGES = re.compile(r"/logout/|format=csv|/jsi18n/|/autocomplete/|/progress/|/static/|/media/")
# Attributes whose text a user reads or hears.
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Inputs the browser fills with a format in its own language (mm/dd/yyyy in an English one).
BROWSER_FORMATS = {"date", "datetime-local", "month", "week", "time"}


class VisibleText(HTMLParser):
    """The words a user reads on a page: its text and the labels of its controls, without scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self.links, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skipping += 1
        self.words += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset") and attrs.get("value"):
                self.words.append(attrs["value"])
            if kind in BROWSER_FORMATS:
                self.words.append(f"<input type={kind}> shows the browser's own format")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.words.append(data)


def english(text, names):
    """The Latin-script words of ``text`` that are not a name, an address, a file name nor allowed.

    ``names`` are what people typed that is written in Latin script by design: login names and the
    regions' slugs (the parts of their addresses).
    """
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text)
    text = re.sub(r"(https?://|/)\S*", " ", text)
    text = re.sub(r"[\w-]*\.[a-z]{2,4}\b", " ", text)  # page-2.txt, .csv
    return sorted({word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED})


def shape(url):
    """Pages of one kind are opened once (one region's form stands for all); each story's, in its own state."""
    path = urlsplit(url).path
    return path if "/newsroom/story/" in path else re.sub(r"/\d+/", "/N/", path)


def walk(client, user, start, extra=()):
    """{path: English words} for every admin page reachable from ``start`` by links, each kind opened once."""
    client.force_login(user)
    admin_root = reverse("admin:index")
    names = [
        *get_user_model().objects.values_list("username", flat=True),
        *Region.objects.values_list("slug", flat=True),
    ]
    todo, seen, found = [start, *extra], set(), {}
    while todo:
        url = todo.pop(0)
        if shape(url) in seen or NOT_PAGES.search(url):
            continue
        seen.add(shape(url))
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = VisibleText()
        page.feed(response.content.decode())
        words = english(" ".join(page.words), names)
        if words:
            found[url] = words
        for link in page.links:
            parts = urlsplit(link)
            if not parts.netloc and parts.path.startswith(admin_root) and not link.startswith("#"):
                todo.append(link)
    assert len(seen) > 5, seen  # the walk went somewhere
    return found


@pytest.fixture
def paper(regions):
    """A little of everything a desk lists: stories in each state, a correspondent, an issue, a bureau."""
    author = make_user("tongxunyuan", roles.CONTRIBUTOR)
    editor = factories.staff("bianji-factory", roles.EDITOR)
    person = factories.correspondent(name="王熙乐", bureau=factories.bureau("zhangye"), unit="张掖市政协")
    issue = factories.issue(number=1190, date=timezone.localdate() + datetime.timedelta(days=1))
    draft = factories.story(headline="通讯员的草稿", created_by=author, bureau=factories.bureau("zhangye"))
    sent_back = factories.story(headline="退回的稿", created_by=author)
    transition(sent_back, Action.SUBMIT, actor=author)
    transition(sent_back, Action.SEND_BACK, actor=editor, comment="请补充时间。")
    submitted = factories.story(headline="待审的稿", created_by=author, issue=issue, page=2)
    transition(submitted, Action.SUBMIT, actor=author)
    approved = factories.story(headline="通过的稿", issue=issue, page=1)
    transition(approved, Action.SUBMIT, actor=editor)
    transition(approved, Action.APPROVE, actor=editor)
    factories.published_story(headline="见报的稿", issue=issue, page=3)
    return {"author": author, "person": person, "draft": draft}


def change(story):
    return reverse("admin:newsroom_story_change", args=[story.pk])


TABLE = "期号,出版日期,版次,顺序,标题,正文\n1190,2026-11-20,2,1,委员义诊,委员们为群众义诊。\n"


@pytest.mark.parametrize("role", [roles.CONTRIBUTOR, roles.EDITOR, roles.CHIEF_EDITOR, roles.IMPORTER])
def test_no_english_on_the_pages_a_role_opens(client, paper, role, django_capture_on_commit_callbacks):
    user = paper["author"] if role == roles.CONTRIBUTOR else make_user("zhiyuan", role)
    if role == roles.IMPORTER:
        # An upload, so that the importer's walk meets a background job and the batch it previews.
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            upload = client.post(
                reverse("admin:newsroom_importbatch_upload"), {"files": [SimpleUploadedFile("t.csv", TABLE.encode())]}
            )
        assert upload.status_code == 302
    records = reverse("admin:newsroom_correspondent_records") + "?start=2026-01-01&end=2026-12-31"
    extra = [
        reverse("admin:newsroom_story_changelist"),
        reverse("admin:newsroom_story_add"),
        reverse("admin:newsroom_correspondent_changelist"),
        reverse("admin:newsroom_bureau_changelist"),
        reverse("admin:newsroom_issue_changelist"),
        reverse("admin:newsroom_importbatch_changelist"),
        reverse("admin:newsroom_job_changelist"),
        records,
    ]
    if role == roles.CONTRIBUTOR:
        extra.append(change(paper["draft"]))

    found = walk(client, user, reverse("admin:index"), extra)

    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())
