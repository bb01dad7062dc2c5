"""The regions and bureaus every list page needs come from each worker's memory, and stay true."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom import content
from newsroom.models import Region
from newsroom.services.regions import load_regions

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lookups_on(settings):
    settings.NEWSROOM_LOOKUP_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the writes leave for after the commit (moving the content version on)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def region_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # Stories still join their own region; what must go is reading the regions and bureaus themselves.
    tables = ('FROM "newsroom_region"', 'FROM "newsroom_bureau"')
    return [query["sql"] for query in captured if any(table in query["sql"] for table in tables)]


@pytest.mark.parametrize(
    "url", ["/articles/", "/articles/?region=zhangye&bureau=zhangye", "/regions/zhangye/", "/feeds/regions/zhangye/"]
)
def test_a_page_reads_the_regions_once_per_worker(client, regions, url):
    factories.published_story(
        headline="民乐县政协调研种业", region=factories.region("minle"), bureau=factories.bureau("zhangye")
    )
    client.get(url)

    assert region_queries(client, url) == []
    assert "民乐县政协调研种业" in client.get(url).content.decode()


def test_a_prefecture_from_memory_still_lists_its_counties_stories(client, regions):
    factories.published_story(headline="民乐县政协调研种业", region=factories.region("minle"))
    factories.published_story(headline="兰州市政协协商会", region=factories.region("lanzhou"))
    client.get("/regions/zhangye/")

    page = client.get("/regions/zhangye/").content.decode()

    assert "民乐县政协调研种业" in page and "兰州市政协协商会" not in page
    assert 'href="/regions/minle/"' in page  # the counties below it


def test_a_region_renamed_in_the_admin_shows_renamed_on_the_next_request(admin_client, client, regions, committed):
    client.get("/articles/")
    region = factories.region("minle")
    with committed():
        response = admin_client.post(
            f"/admin/newsroom/region/{region.pk}/change/",
            {
                "slug": "minle",
                "name": "民乐县（新）",
                "short_name": "民乐",
                "level": "county",
                "parent": region.parent_id,
                "position": region.position,
            },
        )
    assert response.status_code == 302

    assert "民乐县（新）" in client.get("/articles/").content.decode()


def test_loading_the_region_list_again_renders_pages_afresh(client, regions, committed):
    with committed():
        Region.objects.filter(slug="minle").update(name="民乐")
        content.changed()
    assert "民乐县" not in client.get("/articles/").content.decode()

    with committed():
        load_regions()  # puts back the name the region list gives

    assert "民乐县" in client.get("/articles/").content.decode()


def test_a_region_the_map_does_not_know_yet_is_still_found(client, regions):
    client.get("/articles/")
    # Added through another worker a moment ago: this worker's map is older.
    zhangye = factories.region("zhangye")
    xinqu = Region.objects.create(slug="xinqu", name="新区", short_name="新区", level="county", parent=zhangye)
    factories.published_story(headline="新区政协成立", region=xinqu)

    assert "新区政协成立" in client.get("/articles/?region=xinqu").content.decode()
    assert client.get("/regions/xinqu/").status_code == 200
    assert client.get("/articles/?region=nowhere").status_code == 200
    assert "没有找到地区“nowhere”" in client.get("/articles/?region=nowhere").content.decode()
