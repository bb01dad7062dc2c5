import pytest
from django.core.exceptions import ValidationError

from newsroom.models import Region
from newsroom.services.regions import load_regions

pytestmark = pytest.mark.django_db


def test_loads_gansu_province_its_14_prefectures_and_86_counties():
    result = load_regions()

    assert result.created == 101
    assert Region.objects.filter(level="province").get().name == "甘肃省"
    assert Region.objects.filter(level="prefecture").count() == 14
    assert Region.objects.filter(level="county").count() == 86
    assert Region.objects.get(slug="minle").parent.slug == "zhangye"


def test_loading_again_changes_nothing():
    load_regions()
    result = load_regions()

    assert (result.created, result.updated, result.unchanged) == (0, 0, 101)
    assert Region.objects.count() == 101


def test_loading_again_restores_an_edited_name():
    load_regions()
    Region.objects.filter(slug="minxian").update(short_name="岷")

    result = load_regions()

    assert result.updated == 1
    assert Region.objects.get(slug="minxian").short_name == "岷县"


def test_short_names_keep_the_suffix_of_two_character_names():
    load_regions()

    assert Region.objects.get(slug="minxian").short_name == "岷县"
    assert Region.objects.get(slug="sunan").short_name == "肃南"


def test_a_file_naming_an_unknown_parent_is_refused_with_its_line(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("slug,name,short_name,level,parent\ngansu,甘肃省,甘肃,province,\nx,某县,某县,county,nowhere\n")

    with pytest.raises(ValidationError, match="第3行 parent"):
        load_regions(path)
    assert Region.objects.count() == 0


def test_subtree_of_a_prefecture_holds_it_and_its_counties(regions):
    zhangye = Region.objects.get(slug="zhangye")

    slugs = set(Region.objects.subtree(zhangye).values_list("slug", flat=True))

    assert slugs == {"zhangye", "ganzhou", "sunan", "minle", "linze", "gaotai", "shandan"}


def test_subtree_of_the_province_is_every_region(regions):
    assert Region.objects.subtree(Region.objects.get(slug="gansu")).count() == 101
