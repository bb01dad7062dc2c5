"""Regions, bureaus, correspondents and issues edited in the admin show on readers' cached pages at once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from newsroom.models import Bureau, Correspondent, Page, Region, Story
from newsroom.services import directory
from newsroom.services.stories import CreditInput

from . import factories
from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_LOOKUP_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit (moving the content version on)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def save_in_admin(admin_client, committed, model, pk, **changes):
    url = reverse(f"admin:newsroom_{model}_change", args=[pk])
    form = admin_client.get(url)
    with committed():
        response = admin_client.post(url, change_form_data(form, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_region_renamed_in_the_admin_shows_on_its_cached_page(client, admin_client, regions, committed):
    zhangye = factories.region("zhangye")
    assert "张掖市" in read(client, "/regions/zhangye/")

    save_in_admin(admin_client, committed, "region", zhangye.pk, name="张掖地区")

    assert "张掖地区" in read(client, "/regions/zhangye/")


def test_a_bureau_added_in_the_admin_is_offered_in_the_cached_list(client, admin_client, regions, committed):
    assert "本报民乐讯" not in read(client, "/articles/")
    form = admin_client.get(reverse("admin:newsroom_bureau_add"))

    with committed():
        response = admin_client.post(
            reverse("admin:newsroom_bureau_add"),
            change_form_data(form, region=str(factories.region("minle").pk), active="on"),
        )

    assert response.status_code == 302
    assert "本报民乐讯" in read(client, "/articles/")


def test_a_correspondent_renamed_in_the_admin_shows_on_cached_pages(client, admin_client, regions, committed):
    person = factories.correspondent("王立新")
    with committed():
        story = factories.published_story(headline="常委会议", credits=[CreditInput(person)])
    assert "王立新" in read(client, story.get_absolute_url())
    assert "王立新" in read(client, person.get_absolute_url())

    save_in_admin(admin_client, committed, "correspondent", person.pk, name="王立忠")

    assert "王立忠" in read(client, story.get_absolute_url())
    assert "王立忠" in read(client, person.get_absolute_url())


def test_an_issue_and_its_pages_changed_in_the_admin_show_on_the_cached_issue(client, admin_client, regions, committed):
    with committed():
        issue = factories.issue(number=1190, pages=2)
        factories.published_story(headline="头版稿件", issue=issue, page=1)
    assert "第1版名" in read(client, "/issues/1190/")
    form = admin_client.get(reverse("admin:newsroom_issue_change", args=[issue.pk]))
    first, second = form.context["inline_admin_formsets"][0].formset.forms

    with committed():
        response = admin_client.post(
            reverse("admin:newsroom_issue_change", args=[issue.pk]),
            change_form_data(
                form,
                date="2026-11-21",
                **{f"{first.prefix}-name": "要闻", f"{second.prefix}-DELETE": "on"},
            ),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = read(client, "/issues/1190/")
    assert "第1版 · 要闻" in page
    assert "2026年11月21日" in page
    assert list(Page.objects.filter(issue=issue).values_list("number", "name")) == [(1, "要闻")]


def test_a_bureau_deleted_in_the_admin_leaves_the_cached_list(client, admin_client, regions, committed):
    with committed():
        minle = factories.bureau("minle")
    assert "本报民乐讯" in read(client, "/articles/")

    with committed():
        response = admin_client.post(reverse("admin:newsroom_bureau_delete", args=[minle.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert "本报民乐讯" not in read(client, "/articles/")


def test_bureaus_deleted_together_in_the_admin_leave_the_cached_list(client, admin_client, regions, committed):
    with committed():
        chosen = [factories.bureau("minle").pk, factories.bureau("weiyuan").pk]
        factories.bureau("zhangye")
    assert "本报民乐讯" in read(client, "/articles/")

    with committed():
        response = admin_client.post(
            reverse("admin:newsroom_bureau_changelist"),
            {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        )

    assert response.status_code == 302
    page = read(client, "/articles/")
    assert "本报民乐讯" not in page and "本报渭源讯" not in page
    assert "本报张掖讯" in page


def test_the_admin_shows_what_is_wrong_with_a_region_and_keeps_the_typed_text(admin_client, regions):
    minle = factories.region("minle")
    url = reverse("admin:newsroom_region_change", args=[minle.pk])

    response = admin_client.post(url, change_form_data(admin_client.get(url), name="民乐新县名", parent=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert "请更正以下错误" in page
    assert 'value="民乐新县名"' in page
    assert Region.objects.get(pk=minle.pk).name == "民乐县"


def test_the_service_refuses_an_invalid_entry_and_writes_nothing(regions):
    county = Region(slug="new-county", name="新县", short_name="新县", level=Region.Level.COUNTY)

    with pytest.raises(ValidationError):
        directory.save(county)

    assert not Region.objects.filter(slug="new-county").exists()


def test_the_service_keeps_only_the_directory():
    with pytest.raises(TypeError):
        directory.save(Story(headline="不是目录"))


def test_the_service_saves_a_correspondent_and_a_bureau(regions):
    bureau = directory.save(Bureau(region=factories.region("minle")))
    person = directory.save(Correspondent(name="马晓兰", bureau=bureau))

    assert Correspondent.objects.get(pk=person.pk).bureau.dateline == "本报民乐讯"
