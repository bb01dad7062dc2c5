"""Credits and photos edited in the story form are written by the stories and photo services, with their rules."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsroom.models import Credit, Photo, Story
from newsroom.services.stories import CreditInput, set_credits

from . import factories
from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(regions, contributor):
    return factories.story(headline="县政协开展调研", bureau=factories.bureau("zhangye"), created_by=contributor)


@pytest.fixture
def wang(db):
    return factories.correspondent("王立新")


def change_url(story):
    return reverse("admin:newsroom_story_change", args=[story.pk])


def with_credits(page, *rows, **changes):
    """The story form as the page rendered it, with the credit rows ``rows`` added after the present ones."""
    data = change_form_data(page, **changes)
    start = int(data["credits-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"credits-{start + offset}-{name}"] = value
    data["credits-TOTAL_FORMS"] = str(start + len(rows))
    return data


def preview(client, story):
    return client.get(reverse("admin:newsroom_story_preview", args=[story.pk])).content.decode()


def test_a_credit_added_without_title_or_contribution_gets_the_services_defaults(client, contributor, draft, wang):
    client.force_login(contributor)
    page = client.get(change_url(draft))

    response = client.post(
        change_url(draft),
        with_credits(page, {"correspondent": str(wang.pk), "title": "", "contribution": "", "position": "0"}),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    credit = Credit.objects.get(story=draft)
    assert (credit.title, credit.contribution) == ("通讯员", Credit.Contribution.TEXT)
    assert "本报张掖讯(通讯员王立新)" in preview(client, draft)


def test_a_credit_given_twice_is_refused_in_chinese_and_the_typed_text_kept(client, contributor, draft, wang):
    client.force_login(contributor)
    page = client.get(change_url(draft))
    row = {"correspondent": str(wang.pk), "title": "特约通讯员", "contribution": "text", "position": "0"}

    response = client.post(change_url(draft), with_credits(page, row, row, headline="刚改的标题"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "请更正以下错误" in html
    assert "王立新的文字署名重复了" in html
    assert 'value="刚改的标题"' in html and 'value="特约通讯员"' in html
    assert not Credit.objects.filter(story=draft).exists()
    assert Story.objects.get(pk=draft.pk).headline == "县政协开展调研"


def test_a_credit_of_an_unknown_kind_is_refused_in_chinese(client, contributor, draft, wang):
    client.force_login(contributor)
    page = client.get(change_url(draft))

    response = client.post(
        change_url(draft),
        with_credits(page, {"correspondent": str(wang.pk), "title": "特约通讯员", "contribution": "video"}),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项" in html
    assert 'value="特约通讯员"' in html
    assert not Credit.objects.filter(story=draft).exists()


def test_a_saved_credit_printed_without_title_keeps_printing_the_name_alone(client, editor, regions, wang):
    story = factories.story(headline="岷县政协开展视察", credits=[CreditInput(wang, title="")])
    client.force_login(editor)
    page = client.get(change_url(story))
    other = factories.correspondent("赵一鸣", title="记者")

    response = client.post(
        change_url(story),
        with_credits(page, {"correspondent": str(other.pk), "title": "", "contribution": "photo", "position": "1"}),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    credits = [(credit.correspondent.name, credit.title, credit.contribution) for credit in story.credits.all()]
    assert credits == [("王立新", "", "text"), ("赵一鸣", "记者", "photo")]
    assert "(王立新)" in preview(client, story)


def test_credits_keep_the_order_typed_in_their_position_column(client, contributor, draft, wang):
    li = factories.correspondent("李岩", title="记者")
    client.force_login(contributor)
    page = client.get(change_url(draft))

    response = client.post(
        change_url(draft),
        with_credits(
            page,
            {"correspondent": str(wang.pk), "title": "通讯员", "contribution": "text", "position": "2"},
            {"correspondent": str(li.pk), "title": "记者", "contribution": "text", "position": "1"},
        ),
    )

    assert response.status_code == 302
    assert "本报张掖讯(记者李岩 通讯员王立新)" in preview(client, draft)


def test_a_photo_added_in_the_admin_gets_its_renditions_and_the_photographers_title(client, contributor, draft):
    photographer = factories.correspondent("鱼勇")
    client.force_login(contributor)
    page = client.get(change_url(draft))
    data = change_form_data(
        page,
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": SimpleUploadedFile("yizhen.jpg", factories.jpeg(640, 480).read(), "image/jpeg"),
            "photos-0-caption": "委员为群众义诊。",
            "photos-0-alt": "委员为老人量血压",
            "photos-0-photographer": str(photographer.pk),
            "photos-0-photographer_title": "",
            "photos-0-position": "0",
        },
    )

    response = client.post(change_url(draft), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get(story=draft)
    assert (photo.width, photo.height) == (640, 480)
    assert photo.renditions.exists()
    html = preview(client, draft)
    assert '<span class="photo-credit">通讯员 鱼勇 摄</span>' in html
    assert 'alt="委员为老人量血压"' in html


def test_a_photo_whose_original_is_replaced_in_the_admin_gets_new_renditions(client, editor, regions):
    story = factories.photo_story(photographer=factories.correspondent("鱼勇"))
    photo = story.photos.get()
    old = set(photo.renditions.values_list("file", flat=True))
    client.force_login(editor)
    page = client.get(change_url(story))

    response = client.post(
        change_url(story),
        change_form_data(
            page,
            **{"photos-0-image": SimpleUploadedFile("new.png", factories.jpeg(320, 240).read(), "image/png")},
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    photo.refresh_from_db()
    assert photo.image.name.endswith(".jpg")
    assert (photo.width, photo.height) == (320, 240)
    renditions = set(photo.renditions.values_list("file", flat=True))
    assert renditions and not renditions & old


def test_the_stories_service_refuses_a_repeated_credit_and_keeps_the_old_ones(regions, wang):
    story = factories.story(credits=[CreditInput(wang)])

    with pytest.raises(ValidationError, match="王立新的文字署名重复了"):
        set_credits(story, [CreditInput(wang, title="记者"), CreditInput(wang, "", title="")])

    assert [(credit.title, credit.contribution) for credit in story.credits.all()] == [("通讯员", "text")]


def test_a_story_deleted_in_the_admin_takes_its_photos_files_and_leaves_the_cached_list(
    client, admin_client, regions, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE = True
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.publish(factories.photo_story(headline="要删的摄影报道"))
    files = [(rendition.file.storage, rendition.file.name) for rendition in story.photos.get().renditions.all()]
    assert "要删的摄影报道" in client.get("/articles/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:newsroom_story_changelist"),
            {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert "要删的摄影报道" not in client.get("/articles/").content.decode()
    assert files and not any(storage.exists(name) for storage, name in files)
    assert not Photo.objects.exists()
