"""Background jobs: made here, run by a worker (``newsroom.tasks``), followed by staff in the admin.

A job's row says what it is and how it ended; its progress while it runs is in
``newsroom.progress``. The work a job does is all or nothing (one transaction),
so a job broken off by a stopped worker is simply run again, and a job that
has ended is never run twice.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom import progress
from newsroom.models import Job

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """The work cannot be done as asked; the message, in Chinese, says why. Nothing was written."""


def start(kind, *, key, user, arguments=None, batch=None):
    """The job for ``key``, made now if there is none: two requests for the same work share one job.

    ``batch``: the import batch the work is about (an undo's). Returns (job, made); the caller
    queues a new job once this transaction commits.
    """
    return Job.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "created_by": user, "arguments": arguments or {}, "batch": batch},
    )


def run(job_id, work):
    """Do ``work(job, progress)`` for a queued or broken-off job, and record how it ended.

    ``work`` fills in ``job.outcome`` (and ``job.batch``, ``job.report``) and
    raises ``JobRefused``, ``ValidationError`` or ``PermissionDenied`` when the
    work cannot be done; anything else is a fault, recorded and raised again so
    that the queue marks the task failed too.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished or (job.state == Job.State.RUNNING and not job.broken_off):
            return job
        job.state = Job.State.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "attempts"])
    reporter = progress.Reporter(job.pk)
    reporter("开始", 0, 0)
    try:
        work(job, reporter)
    except (JobRefused, ValidationError, PermissionDenied) as error:
        _end(job, Job.State.FAILED, _message(error))
    except Exception as error:
        logger.exception("Job %s failed", job.pk)
        # The kind of fault is in the log; the person reads what happened and what to do.
        _end(job, Job.State.FAILED, f"出错中断（{error or '程序出错'}），没有写入任何内容。可以重新运行。")
        raise
    else:
        _end(job, Job.State.DONE, job.outcome)
    return job


def _end(job, state, outcome):
    job.state = state
    job.outcome = outcome
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "outcome", "finished_at", "batch", "report"])
    progress.forget(job.pk)


def _message(error):
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "您没有权限执行这个操作。"


def again(job, *, user):
    """Queue a failed or broken-off job once more; the caller queues its task once this commits.

    ``user`` None is the command line, run by whoever runs the site.
    """
    if user is not None and not (user.is_superuser or job.created_by_id == user.pk):
        raise PermissionDenied("只有发起人可以重新运行这项工作。")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.can_run_again:
            raise ValidationError(f"{job} {job.get_state_display()}，不需要重新运行。")
        job.state = Job.State.QUEUED
        job.outcome = ""
        job.finished_at = None
        job.save(update_fields=["state", "outcome", "finished_at"])
    progress.forget(job.pk)
    return job
