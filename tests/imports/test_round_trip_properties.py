"""Round trips are identities, for issues made up by Hypothesis and for the demo paper.

Each generated issue is put together as the desk would (stories written, credited, illustrated,
taken through the workflow, some withdrawn or corrected), then exported and imported back:

- into the same site: every story comes back "unchanged", and the site is as it was;
- into an empty site: the same issue, and its export is the same bundle, byte for byte;
- and that bundle imported a second time there changes nothing.

Every example runs inside a savepoint rolled back at its end, so each starts from the
same site: the regions and bureaus, no issues, stories or people.
"""

import contextlib
import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from newsroom import body as story_body
from newsroom.bulletin.export import export_issue
from newsroom.bulletin.tables import JUMP_LINE, SUBHEAD_LINE
from newsroom.models import Bureau, Correspondent, Issue, Page, Region, Story, Topic
from newsroom.services import roles, topics
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.photos import add_photo
from newsroom.services.stories import CreditInput, create_story
from newsroom.services.workflow import Action, transition
from tests.conftest import make_user

from .test_bundles import chief_importer, snapshot
from .test_round_trip import empty_the_site

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters a story's cells may hold: Chinese, full-width and ASCII punctuation, and what spreadsheets,
# CSV and Markdown treat specially (= + - @ ' " , ; # and the ideographic space), never at the cell's edge as space.
CJK = "政协委员会议调研协商甘肃张掖天水兰州临夏县市区乡村振兴产业发展水利教育医卫"
ODD = "=+-@'\",;#（）()“”‘’《》、·—…！？：%&<>/\\|*\u3000 "
TEXT = st.text(alphabet=CJK + ODD + "0123456789abcXYZ", min_size=1, max_size=24).map(str.strip).filter(bool)
SENTENCE = st.builds(lambda text, end: text + end, TEXT, st.sampled_from("。！？")).filter(
    # ``## 小标题`` and ``（转第3版）`` lines are the body cell's own marks: a paragraph is never one.
    lambda text: not SUBHEAD_LINE.match(text) and not JUMP_LINE.fullmatch(text)
)
NAMES = ["王熙乐", "鱼勇", "李岩", "张子慧", "欧阳明月", "阿依古丽·买买提", "马文博", "石宏军"]
# As printed: a title, 本报记者, or a bare name (李岩).
TITLES = ["通讯员", "本报记者", "记者", "特约通讯员", ""]
BUREAUS = ["zhangye", "tianshui", "weiyuan", "minxian", "lanzhou"]
REGIONS = ["xihe", "gangu", "linxia-xian", "lanzhou"]
STATES = ["draft", "submitted", "approved", "published", "withdrawn", "corrected"]
WHEN = datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC)
# The site's topics: names with what CSV and spreadsheets treat specially, never the cell's separators (、;；).
TOPIC_NAMES = ["两会", "委员履职", "提案办理", "专题·视点", '"乡村"振兴', "=1+1 议事", "'引号开头"]


@st.composite
def pictures(draw):
    """A small PNG or JPEG, drawn in one colour with a stripe, as an upload."""
    kind = draw(st.sampled_from(["PNG", "JPEG"]))
    size = (draw(st.integers(8, 40)), draw(st.integers(8, 40)))
    image = Image.new("RGB", size, draw(st.tuples(*[st.integers(0, 255)] * 3)))
    image.paste(draw(st.tuples(*[st.integers(0, 255)] * 3)), (0, 0, size[0], size[1] // 3))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return ContentFile(buffer.getvalue(), name="picture." + kind.lower())


@st.composite
def stories(draw, pages):
    kind = draw(st.sampled_from(["article", "photo"]))
    paragraphs = draw(st.lists(SENTENCE, min_size=1, max_size=4))
    body = [("paragraph", text) for text in paragraphs]
    if kind == "article" and len(body) > 1 and draw(st.booleans()):
        body.insert(draw(st.integers(1, len(body) - 1)), ("subhead", draw(TEXT)))
    people = draw(st.lists(st.sampled_from(NAMES), unique=True, min_size=0 if kind == "article" else 1, max_size=3))
    role = "photo" if kind == "photo" else "text"
    credits = [(name, draw(st.sampled_from(TITLES)), role) for name in people]
    photos = []
    if kind == "photo" or draw(st.booleans()):
        for _ in range(draw(st.integers(1 if kind == "photo" else 0, 2))):
            photographer = draw(st.sampled_from([None, *(credit[0] for credit in credits)]))
            if photographer is not None and not any(c[0] == photographer and c[2] == "photo" for c in credits):
                credits.append((photographer, draw(st.sampled_from(TITLES)), "photo"))
            photos.append((draw(pictures()), draw(SENTENCE), draw(TEXT), photographer))
    page = draw(st.sampled_from(pages))
    continued_on = None
    if kind == "article" and len(body) > 1 and page < max(pages) and draw(st.booleans()):
        continued_on = draw(st.sampled_from([number for number in pages if number > page]))
    return {
        "kind": kind,
        "kicker": draw(st.one_of(st.just(""), TEXT)),
        "headline": draw(TEXT),
        "subheadline": draw(st.one_of(st.just(""), TEXT)),
        "bureau": draw(st.one_of(st.none(), st.sampled_from(BUREAUS))),
        "region": draw(st.one_of(st.none(), st.sampled_from(REGIONS))),
        "event_date": draw(st.one_of(st.none(), st.dates(datetime.date(2026, 1, 1), datetime.date(2026, 11, 20)))),
        "page": page,
        "continued_on": continued_on,
        "split": draw(st.integers(1, len(body) - 1)) if continued_on else None,
        "body": body,
        "credits": credits,
        "photos": photos,
        "state": draw(st.sampled_from(STATES)),
        "note": draw(SENTENCE),
        "topics": draw(st.lists(st.sampled_from(TOPIC_NAMES), unique=True, max_size=3)),
    }


@st.composite
def issues(draw):
    pages = sorted(draw(st.sets(st.integers(1, 8), min_size=1, max_size=3)))
    return {
        "number": draw(st.integers(1, 99999)),
        "date": draw(st.dates(datetime.date(2020, 1, 1), datetime.date(2026, 11, 20))),
        "names": {number: draw(st.sampled_from(["", "要闻", "市县新闻", "专题·视点"])) for number in pages},
        "stories": draw(st.lists(stories(pages), min_size=1, max_size=5)),
    }


def lay_out(paper, chief, editor):
    """The issue as the desk makes it: each story written, credited, illustrated and taken through the workflow."""
    issue = Issue.objects.create(number=paper["number"], date=paper["date"])
    Page.objects.bulk_create(Page(issue=issue, number=number, name=name) for number, name in paper["names"].items())
    people = {}
    for position, item in enumerate(paper["stories"], start=1):
        credits = []
        for name, title, role in item["credits"]:
            person = people.get(name) or Correspondent.objects.create(name=name, title="通讯员")
            people[name] = person
            credits.append(CreditInput(person, role, title))
        bureau = Bureau.objects.get(region__slug=item["bureau"]) if item["bureau"] else None
        story = create_story(
            actor=editor,
            kind=item["kind"],
            kicker=item["kicker"],
            headline=item["headline"],
            subheadline=item["subheadline"],
            bureau=bureau,
            region=bureau.region if bureau else region(item["region"]),
            event_date=item["event_date"],
            issue=issue,
            page=item["page"],
            position=position,
            continued_on_page=item["continued_on"],
            body=story_body.make(item["body"]),
            credits=credits,
        )
        if item["continued_on"]:
            # A continued story's second part begins where the jump is printed.
            Story.objects.filter(pk=story.pk).update(continuation_start=item["split"])
        for image, caption, alt, photographer in item["photos"]:
            add_photo(story, upload=image, caption=caption, alt=alt, photographer=people.get(photographer))
        topics.set_topics(story, list(Topic.objects.filter(name__in=item["topics"])), actor=editor)
        take_through_workflow(story, item["state"], item["note"], chief, editor)
    return issue


def region(slug):
    return Region.objects.get(slug=slug) if slug else None


def take_through_workflow(story, state, note, chief, editor):
    steps = {
        "draft": [],
        "submitted": [Action.SUBMIT],
        "approved": [Action.SUBMIT, Action.APPROVE],
        "published": [Action.SUBMIT, Action.APPROVE, Action.PUBLISH],
        "withdrawn": [Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.WITHDRAW],
        "corrected": [Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.CORRECT],
    }[state]
    for action in steps:
        actor = editor if action in (Action.SUBMIT, Action.APPROVE) else chief
        transition(story, action, actor=actor, comment=note, when=WHEN if action == Action.PUBLISH else None)


@contextlib.contextmanager
def a_site_of_its_own():
    """One example's site: whatever it writes is rolled back when it ends."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def desk(bureaus):
    for slug in ["weiyuan", "minxian"]:
        Bureau.objects.get_or_create(region=region(slug))
    for position, name in enumerate(TOPIC_NAMES):
        Topic.objects.create(name=name, slug=f"topic-{position}", position=position)
    return chief_importer(), make_user("desk-editor", roles.EDITOR)


def unchanged_everywhere(plan):
    return plan.errors == [] and all(planned.action == "unchanged" for planned in plan.planned)


@EXAMPLES
@given(paper=issues())
def test_an_issue_imported_into_its_own_site_changes_nothing(desk, paper):
    chief, editor = desk
    with a_site_of_its_own():
        issue = lay_out(paper, chief, editor)
        bundle = export_issue(issue)
        before = snapshot(issue.number)

        plan, _ = import_bulletin([Upload(f"issue-{issue.number}.zip", bundle)], actor=chief)

        assert plan.errors == [] and plan.warnings == []
        assert [planned.action for planned in plan.planned] == ["unchanged"] * len(paper["stories"])
        assert snapshot(issue.number) == before
        assert export_issue(issue) == bundle


@EXAMPLES
@given(paper=issues())
def test_an_issue_exported_into_an_empty_site_exports_as_the_same_bundle_and_imports_again_unchanged(desk, paper):
    chief, editor = desk
    with a_site_of_its_own():
        issue = lay_out(paper, chief, editor)
        bundle = export_issue(issue)
        before = snapshot(issue.number)
        empty_the_site()

        plan, _ = import_bulletin([Upload(f"issue-{issue.number}.zip", bundle)], actor=chief)

        assert plan.errors == []
        assert snapshot(issue.number) == before
        assert export_issue(Issue.objects.get(number=issue.number)) == bundle
        again, batch = import_bulletin([Upload(f"issue-{issue.number}.zip", bundle)], actor=chief)
        assert unchanged_everywhere(again)
        assert (batch.created_count, batch.updated_count) == (0, 0)
        assert snapshot(issue.number) == before


def test_every_issue_of_the_demo_paper_round_trips_byte_for_byte(bureaus, settings, tmp_path):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    chief = chief_importer()
    numbers = list(Issue.objects.order_by("number").values_list("number", flat=True))
    bundles = {number: export_issue(Issue.objects.get(number=number)) for number in numbers}
    befores = {number: snapshot(number) for number in numbers}
    assert numbers and all(befores.values())

    for number, bundle in bundles.items():
        plan, _ = import_bulletin([Upload(f"issue-{number}.zip", bundle)], actor=chief)
        assert unchanged_everywhere(plan), [(p.item.headline, p.action) for p in plan.planned] + plan.errors

    empty_the_site()
    for number, bundle in bundles.items():
        plan, _ = import_bulletin([Upload(f"issue-{number}.zip", bundle)], actor=chief)
        assert plan.errors == []
        assert snapshot(number) == befores[number]
        assert export_issue(Issue.objects.get(number=number)) == bundle
        names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
        assert not any(set(':*?"<>|\\') & set(name) for name in names)
