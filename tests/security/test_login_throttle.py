"""The admin login resists guessing: failures are throttled per account and per address."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, username, password, address="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(client, editor):
    for _ in range(2):
        assert attempt(client, "editor", "wrong").status_code == 200
    locked = attempt(client, "editor", "wrong")

    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # The right password no longer opens the account, from this address or another.
    assert attempt(client, "editor", "secret-pass-123").status_code == 429
    assert attempt(client, "editor", "secret-pass-123", address="203.0.113.9").status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_address_guessing_many_accounts_is_locked(client, editor):
    for name in ["alice", "bob"]:
        assert attempt(client, name, "guess").status_code == 200
    assert attempt(client, "carol", "guess").status_code == 429

    # From that address even a real account with its password is refused; from another it works.
    assert attempt(client, "editor", "secret-pass-123").status_code == 429
    assert attempt(client, "editor", "secret-pass-123", address="203.0.113.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_clears_the_count(client, editor):
    for _ in range(2):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "secret-pass-123").status_code == 302
    client.logout()
    for _ in range(2):
        assert attempt(client, "editor", "wrong").status_code == 200


def test_the_lockout_page_is_plain_and_safe(client, db):
    make_user("victim")
    with override_settings(AXES_FAILURE_LIMIT=1):
        response = attempt(client, "<script>alert(1)</script>", "x")

    assert response.status_code == 429
    assert "<script>alert(1)" not in response.content.decode()


@pytest.fixture
def admin_elsewhere(settings):
    settings.ADMIN_PATH = "desk-7f3a/"
    import importlib

    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_path_is_configurable(client, chief, admin_elsewhere):
    client.force_login(chief)

    assert reverse("admin:index") == "/desk-7f3a/"
    assert client.get("/desk-7f3a/").status_code == 200
    assert client.get("/admin/").status_code == 404
