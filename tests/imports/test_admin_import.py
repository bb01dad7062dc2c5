"""The admin's table import: upload, see the preview with bad rows flagged, fix, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsroom.models import ImportBatch, Story

pytestmark = pytest.mark.django_db

GOOD = (
    "期号,出版日期,编号,版次,顺序,引题,标题,记者站,署名,正文\n"
    "1190,2026-11-20,a1,2,1,民乐县政协,调研制种产业,minle,通讯员 马晓兰,11月18日，民乐县政协调研制种产业。\n"
    "1190,2026-11-20,a2,2,2,,委员义诊,,通讯员 鱼晓勇 摄,委员们为群众义诊。\n"
)
BAD = GOOD.replace("1190,2026-11-20,a2,2,2", "1190,2026-11-20,a2,二,2")


def upload(client, text, name="stories.csv"):
    return client.post(
        reverse("admin:newsroom_story_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, text.encode("utf-8"))},
    )


def test_the_preview_flags_the_bad_row_and_writes_nothing(client, bureaus, importer):
    client.force_login(importer)

    response = upload(client, BAD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "不是有效的数字" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Story.objects.count() == 0


def test_a_good_table_is_previewed_then_written_on_confirmation(client, bureaus, importer):
    client.force_login(importer)

    preview = upload(client, GOOD)
    rows = [(row.import_type, row.object_repr) for row in preview.context["result"].rows]
    assert rows == [("new", "调研制种产业"), ("new", "委员义诊")]
    assert Story.objects.count() == 0

    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = client.post(
        reverse("admin:newsroom_story_process_import"), {k: v for k, v in data.items() if v is not None}
    )

    assert response.status_code == 302
    assert set(Story.objects.values_list("headline", "status")) == {
        ("调研制种产业", "submitted"),
        ("委员义诊", "submitted"),
    }
    assert ImportBatch.objects.get().created_by == importer


def test_only_importers_see_the_import(client, bureaus, editor):
    client.force_login(editor)

    assert client.get(reverse("admin:newsroom_story_import")).status_code == 403


def test_page_texts_are_previewed_then_imported_on_confirmation(client, bureaus, importer):
    from .pages import PAGE_ONE, PAGE_TWO

    client.force_login(importer)
    url = reverse("admin:newsroom_importbatch_upload")
    files = [
        SimpleUploadedFile("page-1.txt", PAGE_ONE.encode("gb18030")),
        SimpleUploadedFile("page-2.txt", PAGE_TWO.encode("utf-8")),
    ]

    preview = client.post(url, {"files": files, "issue": "1190", "date": "2026-11-20"})
    page = preview.content.decode()
    assert "预览：确认后才会写入" in page and "续接" in page
    assert Story.objects.count() == 0

    response = client.post(url, {"token": preview.context["token"], "issue": "1190", "date": "2026-11-20"})

    assert response.status_code == 302
    assert Story.objects.count() == 3
    assert ImportBatch.objects.get().files[0]["name"] == "page-1.txt"


def test_a_page_with_errors_is_not_offered_for_confirmation(client, bureaus, importer):
    from .pages import PAGE_ONE

    client.force_login(importer)
    bad = SimpleUploadedFile("page-1.txt", PAGE_ONE.replace("本报张掖讯", "本报火星讯").encode())

    response = client.post(
        reverse("admin:newsroom_importbatch_upload"), {"files": [bad], "issue": "1190", "date": "2026-11-20"}
    )

    page = response.content.decode()
    assert "有错误，未写入任何内容" in page and "火星" in page
    assert "确认导入" not in page


def test_someone_elses_token_finds_nothing(client, bureaus, importer):
    from tests.conftest import make_user

    from .pages import PAGE_ONE

    client.force_login(importer)
    preview = client.post(
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("page-1.txt", PAGE_ONE.encode())], "issue": "1190", "date": "2026-11-20"},
    )
    other = make_user("other-importer", "导入员")
    client.force_login(other)

    response = client.post(reverse("admin:newsroom_importbatch_upload"), {"token": preview.context["token"]})

    assert response.status_code == 302
    assert Story.objects.count() == 0


def test_an_importer_exports_an_issue_from_the_admin(client, bureaus, importer):
    import io
    import zipfile

    from newsroom.models import Issue
    from tests import factories

    factories.story(headline="本期稿件", issue=factories.issue(number=1191), page=1)
    client.force_login(importer)

    response = client.post(
        reverse("admin:newsroom_issue_changelist"),
        {"action": "export_bundle", "_selected_action": [Issue.objects.get(number=1191).pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="issue-1191.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.json", "stories.csv", "page-1.txt"} <= set(names)


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(client, bureaus, importer, settings):
    settings.BULLETIN_MAX_FILE_BYTES = 50
    client.force_login(importer)

    response = upload(client, GOOD)

    assert response.status_code == 302
    assert Story.objects.count() == 0
