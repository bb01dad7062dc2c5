"""An export carries only what its maker may read; a draft's original goes only to who may edit the draft.

The attack: an importer's "export bundle" of an issue held a correspondent's draft and its photo
original, which the importer is refused everywhere else; an editor fetched the originals of a
correspondent's draft at guessable paths (``IMG_0001.jpg``).
"""

import csv
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Story
from newsroom.services import roles
from newsroom.services.photos import add_photo
from newsroom.services.workflow import Action, transition
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DRAFT = "县政协开展调研（草稿）"
OWN = "委员开展义诊活动"


@pytest.fixture
def issue(regions, importer):
    """Issue 1190: the importer's own story on page 1, and a correspondent's draft with a photo on page 2."""
    made = factories.issue(number=1190)
    own = factories.story(headline=OWN, issue=made, page=1, created_by=importer)
    Story.objects.filter(pk=own.pk).update(status=Story.Status.SUBMITTED)  # as an import leaves it
    correspondent = make_user("correspondent", roles.CONTRIBUTOR)
    draft = factories.story(headline=DRAFT, issue=made, page=2, created_by=correspondent)
    add_photo(draft, upload=ContentFile(factories.jpeg().read(), name="IMG_0001.jpg"), caption="调研现场", alt="会场")
    return made


def exported_by(client, user, issue):
    client.force_login(user)
    response = client.post(
        reverse("admin:newsroom_issue_changelist"), {"action": "export_bundle", "_selected_action": [issue.pk]}
    )
    assert response["Content-Disposition"] == 'attachment; filename="issue-1190.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def headlines(bundle):
    return [row["headline"] for row in csv.DictReader(io.StringIO(bundle.read("stories.csv").decode("utf-8-sig")))]


def test_an_importers_export_lacks_a_correspondents_draft_and_its_photo(client, importer, issue):
    bundle = exported_by(client, importer, issue)

    assert headlines(bundle) == [OWN]
    assert not [name for name in bundle.namelist() if name.startswith("photos/")]
    assert "photos.csv" not in bundle.namelist()
    pages = [bundle.read(name).decode("utf-8-sig") for name in bundle.namelist() if name.endswith(".txt")]
    assert pages and all(DRAFT not in page for page in pages)


def test_the_draft_goes_out_once_its_author_submits_it(client, importer, issue):
    # Submitted, it is the desk's; the importer still sees only what the admin shows them: their own stories.
    draft = Story.objects.get(headline=DRAFT)
    transition(draft, Action.SUBMIT, actor=draft.created_by)

    assert headlines(exported_by(client, importer, issue)) == [OWN]
    superuser = make_user("operator")
    superuser.is_superuser = True
    superuser.save()
    assert sorted(headlines(exported_by(client, superuser, issue))) == sorted([OWN, DRAFT])


def test_the_operators_command_line_export_still_carries_everything(issue, tmp_path):
    path = tmp_path / "issue-1190.zip"

    call_command("export_bulletin", "--issue", "1190", "-o", str(path), stdout=io.StringIO())

    bundle = zipfile.ZipFile(path)
    assert sorted(headlines(bundle)) == sorted([OWN, DRAFT])
    assert len([name for name in bundle.namelist() if name.startswith("photos/")]) == 1


def test_an_editor_cannot_fetch_the_original_of_a_draft_they_may_not_edit(client, issue):
    photo = Story.objects.get(headline=DRAFT).photos.get()
    client.force_login(make_user("editor-2", roles.EDITOR))

    # The name sent is not where it is kept, and the place it is kept is refused.
    guessed = client.get(reverse("newsroom:photo_original", args=["originals/2026/11/IMG_0001.jpg"]))
    stored = client.get(photo.image.url)

    assert guessed.status_code == 404
    assert stored.status_code == 403
    assert b"\xff\xd8" not in stored.content


def test_an_importers_export_carries_the_published_paper(client, importer, issue):
    author = make_user("reporter", roles.CONTRIBUTOR)
    printed = factories.story(headline="市政协召开常委会议", issue=issue, page=1, created_by=author)
    factories.publish(printed)

    bundle = exported_by(client, importer, issue)

    assert sorted(headlines(bundle)) == sorted([OWN, "市政协召开常委会议"])
