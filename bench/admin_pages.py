"""The admin pages ``make bench-admin`` measures, the people it measures them as, and how it times them.

Each role's account is made in the benchmark's database (``bench-<role>``); the
correspondent's is tied to the archive's busiest correspondent, whose stories it
is made the author of, so that their list and records hold something. A few
import batches and jobs are written beside the archive, as a newsroom keeps them.
"""

import datetime
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.archive import SEARCH_TWO_WORDS, SEARCH_WORD_2
from bench.pages import busiest_prefecture
from newsroom.models import Correspondent, Credit, ImportBatch, Issue, Job, Region, Story
from newsroom.services import roles

SUPERUSER = "超级用户"
ROLES = [SUPERUSER, roles.CHIEF_EDITOR, roles.EDITOR, roles.CONTRIBUTOR, roles.IMPORTER]
ACCOUNTS = {
    SUPERUSER: "bench-superuser",
    roles.CHIEF_EDITOR: "bench-chief",
    roles.EDITOR: "bench-editor",
    roles.CONTRIBUTOR: "bench-correspondent",
    roles.IMPORTER: "bench-importer",
}
# How many of each the archive's desk has to list.
BATCHES = 200
JOBS = 400


@dataclass
class AdminPage:
    name: str
    url: str  # as a person reads it, Chinese and all
    only: tuple = ()  # the roles it is measured for, when not every one

    def for_role(self, role):
        return not self.only or role in self.only


@dataclass
class Timing:
    page: AdminPage
    role: str
    status: int
    median_ms: float = 0.0
    p99_ms: float = 0.0
    queries: int = 0

    @property
    def measured(self):
        return self.status == 200


def accounts():
    """{role: user}, made once in the benchmark's database; the correspondent's tied to a busy correspondent."""
    users = {}
    for role, username in ACCOUNTS.items():
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": role == SUPERUSER}
        )
        if role != SUPERUSER:
            user.groups.set([Group.objects.get(name=role)])
        users[role] = user
    person = users[roles.CONTRIBUTOR]
    if not hasattr(person, "correspondent"):
        busiest = (
            Credit.objects.filter(contribution=Credit.Contribution.TEXT, correspondent__user__isnull=True)
            .values("correspondent")
            .annotate(pieces=Count("pk"))
            .order_by("-pieces", "correspondent")
            .first()
        )
        correspondent = Correspondent.objects.get(pk=busiest["correspondent"])
        correspondent.user = person
        correspondent.save(update_fields=["user"])
        # Their stories are theirs in the admin too: what a correspondent's list shows.
        Story.objects.filter(credits__correspondent=correspondent, created_by__isnull=True).update(created_by=person)
    return users


def desk_records():
    """Import batches and jobs beside the archive, as a newsroom that imports every issue keeps them."""
    if ImportBatch.objects.exists():
        return
    importer = get_user_model().objects.get(username=ACCOUNTS[roles.IMPORTER])
    issues = list(Issue.objects.order_by("-number")[:BATCHES])
    now = timezone.now()
    batches = ImportBatch.objects.bulk_create(
        ImportBatch(
            created_by=importer,
            issue=issue,
            files=[{"name": f"第{issue.number}期.txt", "size": 20_000}],
            created_count=90,
            updated_count=5,
        )
        for issue in issues
    )
    Job.objects.bulk_create(
        Job(
            kind=Job.Kind.IMPORT if number % 2 else Job.Kind.PREVIEW,
            state=Job.State.DONE,
            key=f"bench-{number}",
            created_by=importer,
            created_at=now - datetime.timedelta(hours=number),
            finished_at=now - datetime.timedelta(hours=number) + datetime.timedelta(seconds=20),
            batch=batches[number // 2] if number % 2 else None,
            outcome="导入完成",
        )
        for number in range(JOBS)
    )


def choose_pages(users):
    """The pages an editor uses daily, picked from the archive; the story and records as each role sees them."""
    busiest = busiest_prefecture()
    region_map = Region.objects.map()
    bureau = region_map.bureau_by_slug[busiest]
    newest_issue = Issue.objects.public().order_by("-number").first()
    newest = timezone.localtime(Story.objects.published().newest_first().values_list("published_at", flat=True)[0])
    year_ago = newest.date() - datetime.timedelta(days=365)
    stories = reverse("admin:newsroom_story_changelist")
    records = reverse("admin:newsroom_correspondent_records")
    own = Story.objects.filter(created_by=users[roles.CONTRIBUTOR]).order_by("-published_at", "-pk").first()
    newest_story = Story.objects.published().filter(issue=newest_issue).order_by("pk").first()

    def query(**values):
        return "?" + urlencode(values)

    return [
        AdminPage("desk", reverse("admin:index")),
        AdminPage("stories", stories),
        AdminPage("stories by state", stories + query(state="published")),
        AdminPage("stories by region", stories + query(region=busiest)),
        AdminPage("stories by bureau", stories + query(bureau__id__exact=bureau.pk)),
        AdminPage("stories by issue", stories + query(issue__id__exact=newest_issue.pk)),
        AdminPage("stories by kind", stories + query(kind__exact="photo")),
        AdminPage(f"search {SEARCH_WORD_2}", stories + query(q=SEARCH_WORD_2)),
        AdminPage(f"search {SEARCH_TWO_WORDS}", stories + query(q=SEARCH_TWO_WORDS)),
        # The correspondent opens one of their own; the desk the newest issue's first story.
        AdminPage("story change form", reverse("admin:newsroom_story_change", args=[newest_story.pk])),
        AdminPage(
            "own story change form", reverse("admin:newsroom_story_change", args=[own.pk]), only=(roles.CONTRIBUTOR,)
        ),
        AdminPage("correspondents", reverse("admin:newsroom_correspondent_changelist")),
        AdminPage("bureaus", reverse("admin:newsroom_bureau_changelist")),
        AdminPage(
            "records, 30 issues", records + query(first_issue=newest_issue.number - 29, last_issue=newest_issue.number)
        ),
        AdminPage("records, a year", records + query(start=year_ago.isoformat(), end=newest.date().isoformat())),
        AdminPage("import batches", reverse("admin:newsroom_importbatch_changelist")),
        AdminPage("jobs", reverse("admin:newsroom_job_changelist")),
    ]


def measure(page, role, user, requests):
    """One role's timings of one page: ``requests`` requests one at a time, after two to warm up."""
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    first = client.get(page.url)
    if first.status_code != 200:
        return Timing(page, role, first.status_code)
    client.get(page.url)
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted as they run: the request's start clears the connection's log that CaptureQueriesContext reads.
    with connection.execute_wrapper(counted):
        client.get(page.url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(page.url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{page.url} answered {response.status_code} to {role}")
    return Timing(
        page,
        role,
        200,
        median_ms=round(statistics.median(times), 1),
        p99_ms=round(percentile(times, 99), 1),
        queries=len(queries),
    )


def percentile(values, share):
    """The nearest-rank percentile: of 30 requests, the 99th is the slowest."""
    ordered = sorted(values)
    rank = max(1, -(-share * len(ordered) // 100))
    return ordered[int(rank) - 1]
