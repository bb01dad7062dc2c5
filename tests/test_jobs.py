"""Background jobs as staff meet them: their page, progress, failures in Chinese, running again; mail queued."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from newsroom import progress
from newsroom.models import Job, Story
from newsroom.services import imports
from newsroom.services.workflow import Action, transition
from tests.conftest import make_user
from tests.pages import texts

from . import factories

pytestmark = pytest.mark.django_db

TABLE = "期号,出版日期,版次,顺序,标题,正文\n1190,2026-11-20,2,1,委员义诊,委员们为群众义诊。\n"


@pytest.fixture
def importer(db):
    return make_user("importer", "导入员")


@pytest.fixture
def preview(client, importer, django_capture_on_commit_callbacks):
    """Upload TABLE through the import screen and let the work run; returns the job's page."""

    def send():
        client.force_login(importer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:newsroom_importbatch_upload"), {"files": [SimpleUploadedFile("t.csv", TABLE.encode())]}
            )
        return client.get(response.url)

    return send


def test_a_job_that_cannot_do_its_work_says_why_in_chinese_and_offers_to_run_again(
    client, importer, monkeypatch, django_capture_on_commit_callbacks, preview
):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘满了")

    monkeypatch.setattr(imports, "import_bulletin", broken)
    page = preview()

    job = page.context["job"]
    assert job.state == Job.State.FAILED
    assert texts(page, ".errornote") == ["出错中断（磁盘满了），没有写入任何内容。可以重新运行。"]
    assert "重新运行" in page.content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("admin:newsroom_job_again", args=[job.pk]))
    page = client.get(again.url)

    assert "预览：确认后才会写入" in page.content.decode()
    assert Job.objects.get(pk=job.pk).attempts == 2
    assert "重新运行" not in page.content.decode()


def test_a_finished_job_is_not_run_again(client, preview):
    job = preview().context["job"]

    response = client.post(reverse("admin:newsroom_job_again", args=[job.pk]), follow=True)

    assert texts(response, ".messagelist li")[0] == f"{job} 已完成，不需要重新运行。"
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_running_job_tells_the_page_how_far_it_has_got(client, importer):
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, key="import:x", created_by=importer, state=Job.State.RUNNING, started_at=timezone.now()
    )
    progress.report(job.pk, "写入稿件", 1500, 6000)
    client.force_login(importer)

    answer = client.get(reverse("admin:newsroom_job_progress", args=[job.pk])).json()
    page = client.get(reverse("admin:newsroom_job_change", args=[job.pk]))

    assert answer == {
        "state": "running",
        "state_label": "进行中",
        "finished": False,
        "broken_off": False,
        "step": "写入稿件",
        "done": 1500,
        "total": 6000,
        "percent": 25,
    }
    assert texts(page, "#job-step") == ["写入稿件 1500/6000"]
    # Without JavaScript the page refreshes itself.
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.content.decode()


def test_a_job_silent_past_the_limit_is_shown_as_broken_off(client, importer, settings):
    settings.JOB_STALE_SECONDS = 60
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        key="import:y",
        created_by=importer,
        state=Job.State.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    client.force_login(importer)

    page = client.get(reverse("admin:newsroom_job_change", args=[job.pk]))

    assert "这项工作中断了" in texts(page, ".errornote")[0]
    assert "重新运行" in page.content.decode()
    assert "http-equiv" not in page.content.decode()


def test_people_see_their_own_jobs_only(client, importer, preview):
    job = preview().context["job"]
    other = make_user("other", "导入员")
    editor = make_user("someone", "编辑")

    client.force_login(other)
    assert str(job) not in client.get(reverse("admin:newsroom_job_changelist")).content.decode()
    assert client.get(reverse("admin:newsroom_job_change", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:newsroom_job_progress", args=[job.pk])).status_code == 404
    assert client.post(reverse("admin:newsroom_job_again", args=[job.pk])).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("admin:newsroom_job_changelist")).status_code == 403
    client.force_login(importer)
    assert str(job) in client.get(reverse("admin:newsroom_job_changelist")).content.decode()


def test_mail_after_a_send_back_is_queued_for_a_worker_not_sent_in_the_request(
    settings, editor, contributor, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    contributor.email = "author@example.cn"
    contributor.save()
    story = factories.story(headline="待改的稿件", created_by=contributor)
    transition(story, Action.SUBMIT, actor=contributor)

    with django_capture_on_commit_callbacks(execute=True):
        step = transition(story, Action.SEND_BACK, actor=editor, comment="请补充时间。")

    assert mailoutbox == []
    [queued] = default_task_backend.results
    assert (queued.task.name, queued.args) == ("notify_author", [step.pk])


def test_a_queue_that_is_down_does_not_undo_the_step(settings, editor, contributor, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    story = factories.story(headline="待改的稿件", created_by=contributor)
    transition(story, Action.SUBMIT, actor=contributor)

    with django_capture_on_commit_callbacks(execute=True):
        transition(story, Action.SEND_BACK, actor=editor, comment="请补充时间。")

    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT


def test_pressing_undo_twice_queues_one_undo(client, importer, settings):
    from newsroom.services.imports import Upload, import_bulletin

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    _, batch = import_bulletin([Upload("t.csv", TABLE.encode())], actor=importer)
    client.force_login(importer)

    first = client.post(reverse("admin:newsroom_importbatch_undo", args=[batch.pk]))
    second = client.post(reverse("admin:newsroom_importbatch_undo", args=[batch.pk]))

    assert first.url == second.url
    assert Job.objects.filter(kind=Job.Kind.UNDO, batch=batch).count() == 1
