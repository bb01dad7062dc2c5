"""Work done in the background, on Django's Tasks framework: previews and imports of uploads, undo.

The admin and the commands start work here (``preview_upload``, ``import_upload``,
``undo``, ``run_again``): each makes or finds a ``Job`` through ``services.jobs``
and, once the request's transaction commits, queues ``run_job`` with the job's
id. A worker (``manage.py worker``) runs it: the database queue by default, RQ
on Redis when ``TASKS_BACKEND=redis`` (config/settings.py). Mail to authors
goes the same way (``newsroom.notifications.notify_author``).
"""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task

from . import import_uploads
from .models import ImportBatch, Job
from .services import imports as import_service
from .services import jobs
from .services.imports.undo import undo_batch


@task
def run_job(job_id):
    """Run the job ``job_id``; a job that has ended is left as it is."""
    job = Job.objects.filter(pk=job_id).only("kind").first()
    if job is not None:
        jobs.run(job_id, WORK[job.kind])


def queue(job):
    """Queue ``run_job`` for ``job`` once the present transaction commits (at once outside one)."""
    transaction.on_commit(partial(run_job.enqueue, job.pk))
    return job


def _options(job):
    arguments = job.arguments
    date = arguments.get("issue_date")
    return {
        "issue_number": arguments.get("issue_number"),
        "issue_date": datetime.date.fromisoformat(date) if date else None,
        "page": arguments.get("page"),
    }


def preview_upload(user, token, options):
    """Read an upload and show what importing it would do, written nowhere (a dry run).

    Each new upload also has the worker clear away uploads previewed long ago and never
    confirmed, so pending storage stays bounded without a timer (``expire_uploads`` does the
    same from cron).
    """
    job, _ = jobs.start(Job.Kind.PREVIEW, key=f"preview:{token}", user=user, arguments={"token": token, **options})
    transaction.on_commit(expire_uploads.enqueue)
    return queue(job)


@task
def expire_uploads():
    """Delete the uploads nobody confirmed within ``PENDING_UPLOAD_HOURS``; the number deleted."""
    return import_uploads.expire(datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS))


def import_upload(user, token, options):
    """Import an upload already previewed; a second confirmation of the same upload finds the same job."""
    job, made = jobs.start(Job.Kind.IMPORT, key=f"import:{token}", user=user, arguments={"token": token, **options})
    return queue(job) if made else job


def undo(user, batch, confirmed=()):
    """Take a batch back; ``confirmed``: stories changed since the import that may be taken back too.

    While one undo of the batch waits or runs, asking again finds it (a second click does nothing more).
    """
    waiting = batch.jobs.filter(kind=Job.Kind.UNDO).unfinished().first()
    if waiting is not None:
        return waiting
    attempt = batch.jobs.filter(kind=Job.Kind.UNDO).count() + 1
    job, made = jobs.start(
        Job.Kind.UNDO,
        key=f"undo:{batch.pk}:{attempt}",
        user=user,
        arguments={"batch": batch.pk, "confirmed": sorted(confirmed)},
        batch=batch,
    )
    return queue(job) if made else job


def run_again(job, user):
    """Queue a failed or broken-off job once more."""
    return queue(jobs.again(job, user=user))


def _preview(job, progress):
    token = job.arguments["token"]
    uploads = import_uploads.fetch(job.created_by, token)
    if not uploads:
        raise jobs.JobRefused("找不到上传的文件（可能已过期），请重新上传。")
    plan, _ = import_service.import_bulletin(
        uploads, actor=job.created_by, dry_run=True, progress=progress, **_options(job)
    )
    job.report = plan.report()
    if plan.errors:
        import_uploads.discard(job.created_by, token)
        job.outcome = f"有 {len(plan.errors)} 处错误，不能导入，什么也没有写入。"
    else:
        summary = plan.summary()
        job.outcome = (
            f"可以导入：新建 {summary['new']} 篇，更新 {summary['updated']} 篇，"
            f"未变 {summary['unchanged']} 篇，续接 {summary['joined']} 篇。"
        )


def _import(job, progress):
    token = job.arguments["token"]
    batch = import_service.batch_of_upload(token)
    if batch is None:
        uploads = import_uploads.fetch(job.created_by, token)
        if not uploads:
            raise jobs.JobRefused("找不到要导入的文件（可能已过期），请重新上传。")
        plan, batch = import_service.import_bulletin(
            uploads, actor=job.created_by, progress=progress, upload=token, page_images_now=True, **_options(job)
        )
        if batch is None:
            job.report = plan.report()
            raise jobs.JobRefused(f"有 {len(plan.errors)} 处错误，什么也没有写入。")
        import_uploads.discard(job.created_by, token)
    else:
        # Run again after the batch was written: the page images it may not have finished.
        import_service.draw_pages(batch, now=True, progress=progress)
    job.batch = batch
    job.outcome = (
        f"{batch} 已导入：新建 {batch.created_count} 篇，更新 {batch.updated_count} 篇，"
        f"未变 {batch.unchanged_count} 篇。"
    )


def _undo(job, progress):
    batch = ImportBatch.objects.get(pk=job.arguments["batch"])
    job.batch = batch
    if batch.state != ImportBatch.State.UNDONE:
        batch = undo_batch(batch, actor=job.created_by, confirmed=job.arguments.get("confirmed", ()), progress=progress)
    job.outcome = f"{batch} 已撤销。"
    if batch.kept:
        kept = "；".join(f"“{story['headline']}”（{story['reason']}）" for story in batch.kept[:10])
        more = "等，全部列在批次页上" if len(batch.kept) > 10 else ""
        job.outcome += f"保留了 {len(batch.kept)} 篇，未撤销：{kept}{more}。"


WORK = {Job.Kind.PREVIEW: _preview, Job.Kind.IMPORT: _import, Job.Kind.UNDO: _undo}
