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


@pytest.fixture
def worked(django_capture_on_commit_callbacks):
    """``worked(client.post, url, data)``: the request, then the work it queued, done as a worker would.

    Returns the page the request leads to (the job's page after a redirect).
    """

    def send(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = call(*args, **kwargs)
        return response.client.get(response.url) if response.status_code == 302 else response

    return send
