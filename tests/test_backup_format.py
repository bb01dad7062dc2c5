"""The backup's format: its rows (newsroom/backup_format.py, times to the microsecond) and the archive around them.

tests/security/test_backup.py backs up a whole paper and restores it; here, what each part of the
format promises, and what restore_paper does with a file that is not what it should be.
"""

import datetime
import hashlib
import io
import json
import tarfile
import zoneinfo

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder

from newsroom import backup_format
from newsroom.models import Correspondent, Story, Transition
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# A time with microseconds: Django's own JSON keeps only the milliseconds of it.
EXACT = datetime.datetime(2026, 11, 24, 16, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def registered():
    backup_format.register()


@pytest.fixture
def paper(regions, editor, chief):
    person = factories.correspondent("周文华", email="zhou@example.cn", phone="13900001111")
    story = factories.story(
        headline="市政协召开常委会议",
        created_by=editor,
        credits=[CreditInput(person)],
        issue=factories.issue(number=1190),
        page=1,
        region=factories.region("minle"),
    )
    story = factories.publish(story, when=EXACT)
    transition(story, Action.CORRECT, actor=chief, comment="更正：日期有误。")
    story.refresh_from_db()
    return story


def fields_of(instance):
    """Every stored value of a row, by column."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def written(queryset, **options):
    return serializers.serialize(backup_format.FORMAT_NAME, queryset, **options)


# The rows


def test_the_format_is_known_by_its_name_once_registered():
    assert backup_format.FORMAT_NAME == "paperjson"
    assert backup_format.FORMAT_NAME in serializers.get_serializer_formats()
    assert serializers.get_serializer("paperjson") is backup_format.Serializer
    # Registering again, as each command does, changes nothing.
    backup_format.register()
    assert serializers.get_serializer("paperjson") is backup_format.Serializer


def test_rows_written_and_read_back_are_the_same_rows(paper):
    rows = [*Story.objects.all(), *Transition.objects.order_by("pk"), *Correspondent.objects.all()]

    read = [item.object for item in serializers.deserialize("paperjson", written(rows))]

    assert [(type(row), row.pk) for row in read] == [(type(row), row.pk) for row in rows]
    assert [fields_of(row) for row in read] == [fields_of(row) for row in rows]


def test_times_are_kept_to_the_microsecond(paper):
    text = written(Story.objects.all())

    (row,) = json.loads(text)
    assert row["fields"]["published_at"] == "2026-11-24T16:30:05.123456+00:00"
    (item,) = serializers.deserialize("paperjson", text)
    assert item.object.published_at == EXACT
    # Each time a save set (updated_at is what an editor's open form is checked against) comes back whole.
    assert (item.object.updated_at, item.object.corrected_at) == (paper.updated_at, paper.corrected_at)
    # What the format is for: Django's own JSON would have cut it.
    assert json.loads(serializers.serialize("json", Story.objects.all()))[0]["fields"]["published_at"] == (
        "2026-11-24T16:30:05.123Z"
    )


def test_times_of_day_and_local_times_are_kept_whole():
    moment = datetime.datetime(2026, 11, 25, 0, 30, 5, 7, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    value = {"at": moment, "time": datetime.time(8, 30, 0, 250), "day": datetime.date(2026, 11, 25)}

    text = json.dumps(value, cls=backup_format.ExactTimesEncoder)

    assert json.loads(text) == {
        "at": "2026-11-25T00:30:05.000007+08:00",
        "time": "08:30:00.000250",
        "day": "2026-11-25",
    }
    assert json.loads(json.dumps(value, cls=DjangoJSONEncoder))["time"] == "08:30:00.000"


def test_a_backup_reads_as_an_ordinary_json_fixture(paper):
    text = written(Story.objects.all())

    (item,) = serializers.deserialize("json", text)

    assert fields_of(item.object) == fields_of(paper)
    assert item.object.published_at == EXACT


def test_chinese_text_is_written_as_it_reads(paper):
    text = written(Correspondent.objects.all())

    assert '"name": "周文华"' in text
    assert "\\u" not in text


def test_people_and_roles_are_linked_by_name_not_by_id(paper, editor):
    (row,) = json.loads(written(Story.objects.all(), use_natural_foreign_keys=True))

    assert row["fields"]["created_by"] == ["editor"]


def test_a_file_of_rows_is_loaded_back_under_its_format_name(paper, tmp_path):
    fixture = tmp_path / "paper.paperjson"
    call_command("dumpdata", "newsroom.story", "newsroom.credit", format="paperjson", output=str(fixture), verbosity=0)
    before = fields_of(paper)
    Story.objects.all().delete()

    call_command("loaddata", str(fixture), verbosity=0)

    assert fields_of(Story.objects.get()) == before
    assert [credit.correspondent.name for credit in Story.objects.get().credits.all()] == ["周文华"]


def test_a_file_of_rows_cut_short_is_refused_and_nothing_is_loaded(paper, tmp_path):
    fixture = tmp_path / "paper.paperjson"
    call_command("dumpdata", "newsroom.correspondent", format="paperjson", output=str(fixture), verbosity=0)
    text = fixture.read_text()
    fixture.write_text(text[: len(text) // 2])
    Story.objects.all().delete()
    Correspondent.objects.all().delete()

    with pytest.raises(DeserializationError, match=r"Problem installing fixture '.*paper\.paperjson'"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Correspondent.objects.exists()


def test_rows_of_a_table_this_version_does_not_know_are_refused_by_name():
    rows = json.dumps([{"model": "newsroom.podcast", "pk": 1, "fields": {"title": "甘肃政协之声"}}])

    with pytest.raises(DeserializationError, match="Invalid model identifier: newsroom.podcast"):
        list(serializers.deserialize("paperjson", rows))


# The archive around the rows (manifest.json, data.json, media/…), as restore_paper reads it


def archive(path, manifest, data=b"[]", files=()):
    """An archive laid out as backup_paper lays one out, with the ``manifest`` given."""
    with tarfile.open(path, "w:gz") as tar:
        for name, content in [("data.json", data), *files, ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return str(path)


def manifest_for(data=b"[]", files=(), **changes):
    return {
        "format": 1,
        "rows": len(json.loads(data)),
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "files": [
            {"storage": storage, "name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for storage, name, content in files
        ],
        **changes,
    }


def restore(path):
    out = io.StringIO()
    call_command("restore_paper", str(path), stdout=out)
    return out.getvalue()


def test_a_backup_names_its_format_and_the_checksum_of_its_rows(paper, tmp_path):
    path = tmp_path / "paper.tar.gz"
    call_command("backup_paper", str(path), stdout=io.StringIO())

    with tarfile.open(path) as tar:
        # The manifest comes last: an archive that has it was written to the end.
        assert tar.getnames() == ["data.json", "manifest.json"]  # this paper has no photos
        manifest = json.loads(tar.extractfile("manifest.json").read())
        data = tar.extractfile("data.json").read()

    assert (manifest["format"], manifest["files"]) == (1, [])
    assert manifest["data_sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["rows"] == len(json.loads(data))
    assert '"published_at": "2026-11-24T16:30:05.123456+00:00"' in data.decode()


def test_a_backup_with_photos_lists_each_file_with_its_size_and_checksum(regions, tmp_path):
    factories.photo_story()
    path = tmp_path / "paper.tar.gz"
    call_command("backup_paper", str(path), stdout=io.StringIO())

    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        for entry in manifest["files"]:
            content = tar.extractfile(f"media/{entry['storage']}/{entry['name']}").read()
            assert (entry["size"], entry["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())

    storages = sorted({entry["storage"] for entry in manifest["files"]})
    assert storages == ["default", "originals"]
    # One original; renditions in WebP and JPEG at the one width a 64-pixel photo has.
    assert len(manifest["files"]) == 3


def test_an_archive_of_a_newer_format_is_refused(tmp_path):
    path = archive(tmp_path / "paper.tar.gz", manifest_for(format=2))

    with pytest.raises(CommandError, match="unknown archive format 2"):
        restore(path)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "paper.tar.gz"
    path.write_text("这不是备份文件")

    with pytest.raises(CommandError, match="is not a backup_paper archive"):
        restore(path)


def test_an_archive_without_its_manifest_or_its_rows_is_refused(tmp_path):
    without_rows = tmp_path / "no-rows.tar.gz"
    with tarfile.open(without_rows, "w:gz") as tar:
        content = json.dumps(manifest_for()).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    without_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(without_manifest, "w:gz") as tar:
        info = tarfile.TarInfo("data.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"[]"))

    with pytest.raises(CommandError, match="has no data.json"):
        restore(without_rows)
    with pytest.raises(CommandError, match="has no manifest.json"):
        restore(without_manifest)


def test_an_archive_cut_short_is_refused_as_damaged(paper, tmp_path):
    # As a copy to the new machine that broke off would leave it.
    whole, cut = tmp_path / "paper.tar.gz", tmp_path / "cut.tar.gz"
    call_command("backup_paper", str(whole), stdout=io.StringIO())
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    Story.objects.all().delete()

    with pytest.raises(CommandError, match="damaged or incomplete"):
        restore(cut)
    assert not Story.objects.exists()


def test_an_archive_whose_manifest_is_not_readable_is_refused(tmp_path):
    path = tmp_path / "paper.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, content in [("data.json", b"[]"), ("manifest.json", b'{"format": 1, "rows": ')]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))

    with pytest.raises(CommandError, match="manifest.json is not readable"):
        restore(path)


def test_a_photo_that_does_not_match_its_checksum_is_refused_and_nothing_is_written(tmp_path, settings):
    data = b"[]"
    sent = b"\xff\xd8 the photo as backed up"
    manifest = manifest_for(data, files=[("originals", "originals/2026/11/a.jpg", sent)])
    path = archive(
        tmp_path / "paper.tar.gz", manifest, data, files=[("media/originals/originals/2026/11/a.jpg", b"changed")]
    )

    with pytest.raises(CommandError, match="originals/2026/11/a.jpg does not match its manifest"):
        restore(path)
    assert not (settings.PRIVATE_MEDIA_ROOT / "originals").exists()


def test_a_file_for_a_storage_the_paper_does_not_have_is_refused(tmp_path):
    manifest = manifest_for(files=[("backups", "x.bin", b"x")])
    path = archive(tmp_path / "paper.tar.gz", manifest, files=[("media/backups/x.bin", b"x")])

    with pytest.raises(CommandError, match="unknown storage 'backups'"):
        restore(path)


def test_a_sound_archive_restores_its_rows_and_files_into_an_empty_database(paper, tmp_path, settings):
    rows = written(Correspondent.objects.all(), use_natural_foreign_keys=True).encode()
    photo = b"\xff\xd8 a photo"
    path = archive(
        tmp_path / "paper.tar.gz",
        manifest_for(rows, files=[("default", "photos/2026/11/a-320w.jpg", photo)]),
        rows,
        files=[("media/default/photos/2026/11/a-320w.jpg", photo)],
    )
    Story.objects.all().delete()
    Correspondent.objects.all().delete()

    assert restore(path).strip() == f"Restored 1 rows and 1 files from {path}."
    assert list(Correspondent.objects.values_list("name", "email", "phone")) == [
        ("周文华", "zhou@example.cn", "13900001111")
    ]
    assert (settings.MEDIA_ROOT / "photos/2026/11/a-320w.jpg").read_bytes() == photo
