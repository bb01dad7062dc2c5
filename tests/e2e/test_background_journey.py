"""Journey: an importer brings in a back catalogue while the site's web server and its worker run as
processes of their own, on each queue (the database's, and RQ on Redis).

The upload returns at once and says the work is queued; only then is a worker started, and the
page moves on by itself to the preview; the import confirmed runs with a bar, then shows its result.
"""

import csv
import socket
import time

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.workers import Site

from .conftest import DESKTOP, PHONE, Session

ROWS = 3000
PASSWORD = "secret-pass-123"
IMPORTER = (
    "import json; from django.contrib.auth.models import Group, User; "
    f"user = User.objects.create_user('daoru', password='{PASSWORD}', is_staff=True); "
    "user.groups.add(Group.objects.get(name='导入员')); print(json.dumps(user.pk))"
)
COUNTS = (
    "import json; from newsroom.models import Story, ImportBatch; "
    "print(json.dumps([Story.objects.count(), sorted(ImportBatch.objects.values_list('issues__number', flat=True))]))"
)


def back_catalogue(path):
    """Three issues of a thousand stories each, as Excel on a Chinese Windows saves a table (GBK)."""
    with path.open("w", newline="", encoding="gbk") as handle:
        table = csv.writer(handle)
        table.writerow(["期号", "出版日期", "版次", "顺序", "标题", "正文"])
        for number in range(ROWS):
            issue, place = divmod(number, 1000)
            table.writerow(
                [
                    900 + issue,
                    f"2026-10-0{issue + 1}",
                    1 + place // 50,
                    1 + place % 50,
                    f"档案稿件{number}",
                    "县里的事。",
                ]
            )
    return path


def bar_value(page):
    """The job's bar as it is this moment, or None: no bar, or the page reloading itself as the job ends."""
    try:
        return page.evaluate("() => { const bar = document.getElementById('job-bar'); return bar && bar.value; }")
    except PlaywrightError:
        return None


def finished(page):
    try:
        return page.evaluate("() => document.querySelector('.messagelist .success') !== null")
    except PlaywrightError:
        return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_an_import_runs_in_the_background_with_its_progress_in_view(chromium, tmp_path, queue):
    site = Site(tmp_path, queue=queue)
    try:
        site.ask(IMPORTER)
        port = free_port()
        site.start("runserver", f"127.0.0.1:{port}", "--noreload")
        site.wait_for(lambda: serving(port), seconds=60, what="the web server")
        importer = Session(chromium, f"http://127.0.0.1:{port}", f"background-{queue}", DESKTOP)
        page = importer.page
        importer.login("daoru", PASSWORD)

        importer.go(reverse("admin:newsroom_importbatch_upload"))
        page.set_input_files("#id_files", str(back_catalogue(tmp_path / "back-catalogue.csv")))
        importer.follow(page.get_by_role("button", name="预览"))
        # No worker runs yet: the page came back at once and says the work waits.
        assert page.locator("#job-state").inner_text() == "排队中：等待后台进程接手"
        assert page.locator("progress#job-bar").count() == 1
        importer.check_accessible("a queued job")
        importer.shot("1-queued")

        site.start("worker")
        page.get_by_text("预览：确认后才会写入").wait_for(timeout=60_000)
        assert "第900—902期，共3期：新建 3000 篇" in page.locator("#content-main").inner_text()
        importer.check_accessible("a finished preview")
        importer.shot("2-preview", full_page=False)

        importer.follow(page.get_by_role("button", name="确认导入"))
        seen = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not finished(page):
            value = bar_value(page)
            if value is not None:
                seen.append(value)
                if len(seen) == 1:
                    importer.shot("3-running", full_page=False)
            time.sleep(0.1)
        result = page.locator(".messagelist").inner_text()
        assert "已导入：新建 3000 篇，更新 0 篇，未变 0 篇。" in result, result
        assert seen, "the import's page showed no progress bar while it ran"
        importer.check_accessible("a finished import")
        importer.shot("4-imported", full_page=False)
        assert site.ask(COUNTS) == [ROWS, [900, 901, 902]]

        phone = Session(chromium, f"http://127.0.0.1:{port}", f"background-{queue}", PHONE)
        phone.context.add_cookies(importer.context.cookies())
        phone.go(page.url)
        assert "已导入：新建 3000 篇" in phone.page.locator(".messagelist").inner_text()
        phone.shot("5-imported-on-a-phone")
        phone.close()
        importer.close()
    finally:
        site.close()
