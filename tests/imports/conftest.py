import pytest

from newsroom.models import Bureau, Region
from tests.conftest import make_user


@pytest.fixture
def bureaus(regions):
    """The bureaus our test pages file from."""
    for slug in ["zhangye", "baiyin", "tianshui", "minle", "weiyuan", "minxian", "yongdeng", "lanzhou", "linxia-zhou"]:
        region = Region.objects.filter(slug=slug).first()
        if region is not None:
            Bureau.objects.get_or_create(region=region)


@pytest.fixture
def importer(db):
    return make_user("importer", "导入员")
