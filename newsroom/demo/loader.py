"""Builds the demo paper from ``paper.json``: our own stories, in the paper's forms.

Everything goes through the services, as an editor's work would: stories are
created, submitted, approved and published by users in their roles. Running
it again adds nothing that is already there.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from newsroom import body as story_body
from newsroom.bulletin.writer import story_part
from newsroom.models import Bureau, Correspondent, FrontPlacement, Issue, Page, Region, Story, Topic
from newsroom.services import front, roles, topics
from newsroom.services import pages as page_services
from newsroom.services.regions import load_regions
from newsroom.services.stories import CreditInput, PhotoInput, create_story
from newsroom.services.workflow import Action, transition

from . import layout
from .pictures import draw_picture

PAPER_JSON = Path(__file__).resolve().parent / "paper.json"
DEMO_PASSWORD = "newsroom-demo"
REFERENCE_PREFIX = "demo:"


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    stories_created: int = 0
    stories_existing: int = 0
    logins: list = field(default_factory=list)
    pages_printed: int = 0
    notice: str = ""  # said when the paper could not be laid out as printed pages


@transaction.atomic
def load_demo(path=PAPER_JSON):
    paper = json.loads(Path(path).read_text(encoding="utf-8"))
    load_regions()
    regions = {region.slug: region for region in Region.objects.all()}
    bureaus = {slug: _bureau(regions[slug]) for slug in paper["bureaus"]}
    people = {person["key"]: _correspondent(person, bureaus) for person in paper["correspondents"]}
    issues = {issue["number"]: _issue(issue) for issue in paper["issues"]}
    users, logins = _users(paper, people)

    result = DemoResult(logins=logins)
    existing = set(Story.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list("reference", flat=True))
    for position, item in enumerate(paper["stories"]):
        reference = REFERENCE_PREFIX + item["key"]
        if reference in existing:
            result.stories_existing += 1
            continue
        _story(item, reference, position, regions, bureaus, people, issues, users)
        result.stories_created += 1
    _topics(paper.get("topics", []), users)
    _front(paper.get("front"), users)
    _print_issues(paper, issues, result)
    return result


def _print_issues(paper, issues, result):
    """Lay out each issue as its printed pages and give it them as an import of its PDF would: the 数字报.

    An issue whose pages all have their PDF is left as it is. The pages' images are made by the
    worker (``make run`` starts one), once this commits.
    """
    if layout.font_file() is None:
        result.notice = (
            "没有找到中文字体（apt-get install fonts-wqy-zenhei），演示报纸只有文字版，没有版面 PDF 和版面图。"
        )
        return
    for item in paper["issues"]:
        issue = issues[item["number"]]
        pages = list(issue.pages.order_by("number"))
        if all(page.pdf for page in pages):
            continue
        stories = list(
            Story.objects.filter(issue=issue, reference__startswith=REFERENCE_PREFIX)
            .select_related("bureau__region", "region")
            .prefetch_related("credits__correspondent", "photos")
            .order_by("page", "position", "pk")
        )
        date = issue.date if isinstance(issue.date, datetime.date) else datetime.date.fromisoformat(issue.date)
        printed_date = f"{date.year}年{date.month}月{date.day}日 星期{'一二三四五六日'[date.weekday()]}"
        laid_out = [
            layout.PageLayout(
                number=page.number,
                name=page.name,
                date=printed_date,
                editor=page.editor,
                parts=[
                    (story_part(page.number, story), _photo_bytes(story) if story.page == page.number else [])
                    for story in stories
                    if page.number in (story.page, story.continued_on_page)
                ],
            )
            for page in pages
        ]
        data = layout.lay_out(laid_out)
        changed = page_services.attach_printed(issue, data, stories, source=f"第{issue.number}期.pdf")
        page_services.queue_images(changed)
        result.pages_printed += len(changed)


def _photo_bytes(story):
    pictures = []
    for photo in story.photos.all():
        with photo.image.open("rb") as handle:
            pictures.append(handle.read())
    return pictures


def _demo_story(key):
    return Story.objects.filter(reference=REFERENCE_PREFIX + key).first()


def _topics(items, users):
    """The demo's topics with their stories; a topic already there keeps what editors made of it."""
    for item in items:
        if Topic.objects.filter(slug=item["slug"]).exists():
            continue
        topic = topics.save_topic(
            Topic(name=item["name"], slug=item["slug"], description=item["description"]), actor=None
        )
        stories = [story for story in map(_demo_story, item["stories"]) if story is not None]
        topics.add_to_topic(stories, topic, actor=users[roles.EDITOR])


def _front(arrangement, users):
    """The chief editor's lead and top stories, the first time only: later, the front is the editors'."""
    if not arrangement or FrontPlacement.objects.exists():
        return
    chief = users[roles.CHIEF_EDITOR]
    lead = _demo_story(arrangement["lead"])
    if lead is not None and lead.status == Story.Status.PUBLISHED:
        front.pin_lead(lead, actor=chief)
    top = [story for story in map(_demo_story, arrangement["top"]) if story and story.status == Story.Status.PUBLISHED]
    if top:
        front.order_top_stories(top, actor=chief)


def _bureau(region):
    bureau, _ = Bureau.objects.get_or_create(region=region)
    return bureau


def _correspondent(person, bureaus):
    correspondent, _ = Correspondent.objects.get_or_create(
        name=person["name"],
        unit=person["unit"],
        defaults={
            "title": person["title"],
            "bureau": bureaus.get(person["bureau"]),
            "phone": person["phone"],
            "email": person["email"],
        },
    )
    return correspondent


def _issue(item):
    issue, _ = Issue.objects.get_or_create(number=item["number"], defaults={"date": item["date"]})
    for page in item["pages"]:
        Page.objects.get_or_create(
            issue=issue, number=page["number"], defaults={"name": page["name"], "editor": page.get("editor", "")}
        )
    return issue


def _users(paper, people):
    """One login per role. The contributor is the correspondent of the first draft, so their drafts show."""
    User = get_user_model()
    first_draft = next(item for item in paper["stories"] if item["status"] == Story.Status.DRAFT and item["credits"])
    contributor_person = people[first_draft["credits"][0][0]]
    accounts = [
        ("tongxunyuan", roles.CONTRIBUTOR, contributor_person),
        ("bianji", roles.EDITOR, None),
        ("zongbian", roles.CHIEF_EDITOR, None),
        ("daoru", roles.IMPORTER, None),
    ]
    users, logins = {}, []
    for username, role, person in accounts:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        if person is not None and person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        users[role] = user
        logins.append(DemoLogin(username=username, role=role))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", password=DEMO_PASSWORD)
    logins.append(DemoLogin(username="admin", role="超级管理员"))
    return users, logins


def _story(item, reference, position, regions, bureaus, people, issues, users):
    contributor = users[roles.CONTRIBUTOR]
    credited = [people[key] for key, _ in item["credits"]]
    owner = contributor if contributor.correspondent in credited else None
    photos = [
        PhotoInput(
            image=ContentFile(draw_picture(f"{item['key']}-{number}"), name=f"{item['key']}-{number}.jpg"),
            caption=photo["caption"],
            alt=photo["alt"],
            photographer=people[photo["credit"]],
        )
        for number, photo in enumerate(item["photos"], start=1)
    ]
    story = create_story(
        created_by=owner,
        reference=reference,
        kind=item["kind"],
        kicker=item["kicker"] or "",
        headline=item["headline"],
        subheadline=item["subheadline"] or "",
        bureau=bureaus.get(item["bureau"]),
        region=regions.get(item["region"]),
        event_date=item["event_date"],
        issue=issues[item["issue"]],
        page=item["page"],
        position=position,
        continued_from_page=item["continued_from_page"],
        continued_on_page=item["continued_on_page"],
        body=story_body.make(("paragraph" if kind == "p" else "subhead", text) for kind, text in item["body"]),
        credits=[CreditInput(people[key], contribution) for key, contribution in item["credits"]],
        photos=photos,
    )
    if item["status"] == Story.Status.DRAFT:
        return story
    transition(story, Action.SUBMIT, actor=owner or users[roles.EDITOR])
    if item["status"] == Story.Status.SUBMITTED:
        return story
    transition(story, Action.APPROVE, actor=users[roles.EDITOR])
    # Published in the early morning of the issue's date, in page order.
    issue_date = issues[item["issue"]].date
    if isinstance(issue_date, str):
        issue_date = datetime.date.fromisoformat(issue_date)
    when = timezone.make_aware(datetime.datetime.combine(issue_date, datetime.time(6, 0))) + datetime.timedelta(
        minutes=position
    )
    action = Action.PUBLISH if when <= timezone.now() else Action.SCHEDULE
    transition(story, action, actor=users[roles.CHIEF_EDITOR], when=when)
    return story
