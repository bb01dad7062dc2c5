"""Uploads previewed and never confirmed do not stay for ever: ``manage.py expire_uploads`` deletes them.

The attack run left its uploads in pending storage; nothing ever took them away.
"""

import io
import os
import time

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from newsroom import import_uploads
from newsroom.models import Story
from newsroom.services.imports import Upload

pytestmark = pytest.mark.django_db

GOOD = (
    "期号,出版日期,编号,版次,顺序,引题,标题,记者站,署名,正文\n"
    "1190,2026-11-20,a1,2,1,民乐县政协,调研制种产业,minle,通讯员 马晓兰,11月18日，民乐县政协调研制种产业。\n"
)


def age(user, token, hours):
    """Make an upload look as if it had been sent ``hours`` ago."""
    storage = storages["originals"]
    folder = f"{import_uploads.FOLDER}/{user.pk}/{token}"
    when = time.time() - hours * 3600
    for name in storage.listdir(folder)[1]:
        os.utime(storage.path(f"{folder}/{name}"), (when, when))


def expire(*options):
    out = io.StringIO()
    call_command("expire_uploads", *options, stdout=out)
    return out.getvalue()


def test_old_uploads_are_deleted_and_fresh_ones_kept(importer):
    old = import_uploads.keep(importer, [Upload("stories.csv", GOOD.encode())])
    fresh = import_uploads.keep(importer, [Upload("stories.csv", GOOD.encode())])
    age(importer, old, 25)
    age(importer, fresh, 23)

    assert expire() == "删除了 1 份超过 24 小时未确认的上传。\n"

    assert import_uploads.fetch(importer, old) == []
    assert [upload.name for upload in import_uploads.fetch(importer, fresh)] == ["stories.csv"]


def test_the_age_comes_from_the_option_or_the_setting(importer, settings):
    token = import_uploads.keep(importer, [Upload("stories.csv", GOOD.encode())])
    age(importer, token, 3)

    settings.PENDING_UPLOAD_HOURS = 4
    assert expire() == "删除了 0 份超过 4 小时未确认的上传。\n"
    assert import_uploads.fetch(importer, token) != []

    assert expire("--hours", "2") == "删除了 1 份超过 2 小时未确认的上传。\n"
    assert import_uploads.fetch(importer, token) == []


def test_an_importer_confirming_an_expired_preview_is_told_to_upload_again(client, bureaus, importer, worked):
    client.force_login(importer)
    preview = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("stories.csv", GOOD.encode())]},
    )
    assert "确认导入" in preview.content.decode()
    age(importer, preview.context["job"].arguments["token"], 25)

    expire()
    page = worked(client.post, reverse("admin:newsroom_job_confirm", args=[preview.context["job"].pk]))

    assert "找不到要导入的文件（可能已过期），请重新上传。" in page.content.decode()
    assert Story.objects.count() == 0


def test_a_failed_preview_keeps_nothing(client, bureaus, importer, worked):
    client.force_login(importer)

    page = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("stories.csv", GOOD.replace("2,1,", "二,1,").encode())]},
    )

    assert "有 1 处错误，不能导入，什么也没有写入。" in page.content.decode()
    assert import_uploads.fetch(importer, page.context["job"].arguments["token"]) == []
    assert expire() == "删除了 0 份超过 24 小时未确认的上传。\n"


def test_a_new_upload_has_the_worker_clear_away_uploads_left_unconfirmed(client, bureaus, importer, worked):
    forgotten = import_uploads.keep(importer, [Upload("stories.csv", GOOD.encode())])
    age(importer, forgotten, 25)
    client.force_login(importer)

    preview = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("stories.csv", GOOD.encode())]},
    )

    assert "确认导入" in preview.content.decode()
    assert import_uploads.fetch(importer, forgotten) == []
    assert import_uploads.fetch(importer, preview.context["job"].arguments["token"]) != []
