import pytest

# The import screen's fixtures: who imports, the bureaus our test files name, and queued work run as a worker would.
from tests.imports.conftest import bureaus, importer, worked  # noqa: F401


@pytest.fixture
def fresh_roles(transactional_db):
    """A transactional test starts from a flushed database: content types, permissions and roles again."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    from newsroom.services.roles import sync_roles

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    sync_roles(Group, Permission)
