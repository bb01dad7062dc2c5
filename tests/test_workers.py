"""Real workers in processes of their own, on each queue: an import queued from the command line, the
worker killed in the middle of writing it, and the job run again.

On the database the suite runs on (SQLite or PostgreSQL); the database queue and RQ on Redis.
"""

import csv
import re

import pytest

from .workers import Site

ROWS = 5000
COUNTS = (
    "import json; from newsroom.models import Story, ImportBatch, Job; job = Job.objects.get(pk=1); "
    "print(json.dumps([Story.objects.count(), ImportBatch.objects.count(), job.state, job.broken_off, "
    "job.attempts, job.outcome]))"
)


def write_back_issue(path):
    """One issue of ROWS short stories on many pages, as a table an archive would send."""
    with path.open("w", newline="", encoding="gbk") as handle:
        table = csv.writer(handle)
        table.writerow(["期号", "出版日期", "版次", "顺序", "标题", "正文"])
        for number in range(ROWS):
            table.writerow([500, "2026-11-20", 1 + number // 50, 1 + number % 50, f"试写稿件{number}", "县里的事。"])


@pytest.fixture(params=["database", "redis"])
def site(request, tmp_path):
    # Broken off after 2 s of silence: the test waits for that after killing the worker.
    made = Site(tmp_path, queue=request.param, stale_seconds=2)
    yield made
    made.close()


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_runs_again(site, tmp_path):
    table = tmp_path / "back-issue.csv"
    write_back_issue(table)

    queued = site.manage("import_bulletin", str(table), "--background")
    assert "已排队：导入 #1" in queued
    worker = site.start("worker")
    site.wait_for(
        lambda: (site.progress(1) or {}).get("step") == "写入稿件", what="the worker to start writing the stories"
    )
    site.kill(worker)

    stories, batches, state, broken_off, attempts, _ = site.ask(COUNTS)
    assert (stories, batches, state, attempts) == (0, 0, "running", 1)
    # Silent past JOB_STALE_SECONDS: shown as broken off, and offered to run again.
    site.wait_for(lambda: site.ask(COUNTS)[3], seconds=20, what="the job to show as broken off")
    assert "中断（可重新运行）" in site.manage("jobs", "1")

    site.manage("jobs", "1", "--again")
    site.manage("worker", "--burst")

    stories, batches, state, broken_off, attempts, outcome = site.ask(COUNTS)
    assert (stories, batches, state, broken_off, attempts) == (ROWS, 1, "done", False, 2)
    # (On PostgreSQL the killed run used up batch number 1: numbers are never handed out twice.)
    assert re.fullmatch(rf"导入批次 #\d+ 已导入：新建 {ROWS} 篇，更新 0 篇，未变 0 篇。", outcome), outcome

    # The same task delivered twice (a queue may): the job has ended, nothing is imported again.
    site.ask("import json; from newsroom.tasks import run_job; run_job.enqueue(1); print(json.dumps(1))")
    site.manage("worker", "--burst")
    assert site.ask(COUNTS)[:3] == [ROWS, 1, "done"]
