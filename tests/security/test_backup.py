"""backup_paper and restore_paper: the whole paper, rows and files, into an empty database and back."""

import io
import tarfile

import pytest
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from newsroom.models import Story
from newsroom.services import roles
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.regions import load_regions
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    "auth.user",
    "auth.group",
    "newsroom.region",
    "newsroom.bureau",
    "newsroom.correspondent",
    "newsroom.issue",
    "newsroom.page",
    "newsroom.story",
    "newsroom.credit",
    "newsroom.photo",
    "newsroom.transition",
    "newsroom.importbatch",
    "newsroom.importedstory",
    "reversion.revision",
    "reversion.version",
]


def snapshot():
    """Every row of the paper, in a form independent of content-type and permission ids."""
    from django.apps import apps

    rows = {}
    for label in MODELS:
        model = apps.get_model(label)
        data = serializers.serialize("python", model.objects.order_by("pk"), use_natural_foreign_keys=True)
        rows[label] = [(row.get("pk"), sorted(row["fields"].items(), key=lambda item: item[0])) for row in data]
        rows[label] = [(pk, repr(fields)) for pk, fields in rows[label]]
    return rows


def files():
    from newsroom.management.commands.backup_paper import STORAGES_BACKED_UP, stored_files

    found = {}
    for alias in STORAGES_BACKED_UP:
        storage = storages[alias]
        for name in stored_files(storage):
            with storage.open(name, "rb") as handle:
                found[(alias, name)] = handle.read()
    return found


def wipe_files():
    for alias, name in files():
        storages[alias].delete(name)


@pytest.fixture
def paper(fresh_roles):
    load_regions()
    editor, chief = make_user("editor", roles.EDITOR), make_user("chief", roles.CHIEF_EDITOR)
    importer = make_user("importer", roles.IMPORTER)
    person = factories.correspondent("周文华", phone="13900001111")
    issue = factories.issue(number=1190)
    factories.photo_story(headline="义诊", photographer=person, issue=issue, page=2, created_by=editor)
    published = factories.published_story(
        headline="常委会议", credits=[CreditInput(person)], issue=issue, page=1, region=factories.region("minle")
    )
    transition(published, Action.CORRECT, actor=chief, comment="更正：日期有误。")
    factories.bureau("minle")
    rows = "reference,page,position,kind,headline,bureau,body\nk1,3,1,article,导入稿,minle,正文。\n"
    import_bulletin(
        [Upload("stories.csv", rows.encode())],
        actor=importer,
        issue_number=1191,
        issue_date=factories.datetime.date(2026, 11, 21),
    )
    return published


def test_a_backup_restores_into_an_empty_database_as_the_same_paper(paper, tmp_path):
    archive = tmp_path / "paper.tar.gz"
    before, before_files = snapshot(), files()
    assert any(alias == "originals" for alias, _ in before_files)
    assert any(alias == "default" for alias, _ in before_files)
    assert len(before["newsroom.story"]) == 3

    call_command("backup_paper", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    wipe_files()
    assert not Story.objects.exists() and files() == {}

    out = io.StringIO()
    call_command("restore_paper", str(archive), stdout=out)

    assert snapshot() == before
    assert files() == before_files
    assert "Restored" in out.getvalue()
    # The restored paper works: its roles have their permissions and its pages show.
    assert Group.objects.get(name=roles.CHIEF_EDITOR).permissions.filter(codename="publish_story").exists()
    new = factories.story(headline="恢复后新稿")
    assert new.pk > max(pk for pk, _ in before["newsroom.story"])


def test_restore_refuses_a_database_that_holds_stories(paper, tmp_path):
    archive = tmp_path / "paper.tar.gz"
    call_command("backup_paper", str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="empty database"):
        call_command("restore_paper", str(archive), stdout=io.StringIO())


def test_restore_refuses_a_damaged_archive(paper, tmp_path):
    archive, damaged = tmp_path / "paper.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup_paper", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace("常委会议".encode(), "篡改内容".encode())
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_paper", str(damaged), stdout=io.StringIO())
    assert not Story.objects.exists()
