import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom.services import roles
from newsroom.services.regions import load_regions


@pytest.fixture(autouse=True)
def empty_cache(settings):
    # Cached pages and the content version belong to one test's paper only. Page, count and
    # lookup caching are off unless a test turns them on: a test's writes never commit, so the version never moves.
    from django.core.cache import cache

    from newsroom.content import forget

    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_COUNT_CACHE = False
    settings.NEWSROOM_LOOKUP_CACHE = False
    cache.clear()
    forget()
    yield
    cache.clear()
    forget()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background work runs at once, in the test's own process, when the queuing transaction commits.

    Tests that need it run queued work with ``django_capture_on_commit_callbacks(execute=True)``;
    tests/test_workers.py runs real workers in processes of their own.
    """
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {
        **settings.CACHES,
        "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"},
    }
    from django.core.cache import caches

    caches["progress"].clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Real hashing is deliberately slow; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Photos written by a test go to a temporary folder, never to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def regions(db):
    load_regions()


def make_user(username, role=None):
    user = get_user_model().objects.create_user(username=username, password="secret-pass-123", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def contributor(db):
    return make_user("contributor", roles.CONTRIBUTOR)


@pytest.fixture
def editor(db):
    return make_user("editor", roles.EDITOR)


@pytest.fixture
def chief(db):
    return make_user("chief", roles.CHIEF_EDITOR)
