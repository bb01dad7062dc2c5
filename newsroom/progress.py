"""How far a running job has got: written by the worker, read by the page that follows it.

Kept in the ``progress`` cache (Redis where there is one, else a folder of this
machine), not in the job's row: the work itself runs in one transaction, and
what it writes there nobody else sees until it ends. Imports no models.
"""

import time

from django.conf import settings
from django.core.cache import caches

KEEP_SECONDS = 24 * 3600


def _key(job_id):
    return f"job:{job_id}"


def report(job_id, step, done, total):
    """Note that job ``job_id`` is at ``step``, ``done`` of ``total``; also the sign that it is alive."""
    caches["progress"].set(_key(job_id), {"step": step, "done": done, "total": total, "at": time.time()}, KEEP_SECONDS)


def read(job_id):
    """``{"step", "done", "total", "at", "percent"}`` as last reported, or None."""
    value = caches["progress"].get(_key(job_id))
    if value is None:
        return None
    total = value["total"]
    value["percent"] = min(100, 100 * value["done"] // total) if total else 0
    return value


def forget(job_id):
    caches["progress"].delete(_key(job_id))


def silent_for(job_id, since):
    """Seconds since job ``job_id`` last reported (or since ``since``, a timestamp, when it never did)."""
    value = caches["progress"].get(_key(job_id))
    last = value["at"] if value else since
    return time.time() - last


def stale_after():
    return settings.JOB_STALE_SECONDS


class Reporter:
    """The ``progress(step, done, total)`` callback the import services take, for one job.

    Writes at most every ``every`` seconds, and whenever the step changes: a
    10,000-row import calls it thousands of times.
    """

    def __init__(self, job_id, every=0.5):
        self.job_id = job_id
        self.every = every
        self.last = (None, 0.0)

    def __call__(self, step, done, total):
        now = time.monotonic()
        if step != self.last[0] or now - self.last[1] >= self.every or done == total:
            report(self.job_id, step, done, total)
            self.last = (step, now)
