"""The admin login resists guessing: failures are throttled per account and per address."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import F, Sum
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


def guesses_until_locked(client, target, own, addresses):
    """The interleaving attack: four wrong passwords for ``target``, one good login with one's ``own``, repeated.

    Each round may come from another address. Returns how many wrong passwords were
    checked before the target's account answered 429.
    """
    checked = 0
    for address in addresses:
        for _ in range(4):
            response = attempt(client, target, "wrong", address=address)
            if response.status_code == 429:
                return checked + 1
            assert response.status_code == 200
            checked += 1
        assert attempt(client, own, "secret-pass-123", address=address).status_code == 302
        client.logout()
    return None


def test_a_good_login_with_ones_own_account_does_not_reset_the_guesses_at_another(client, chief, contributor):
    # The attack run's form: from one address, 32 guesses and no lockout.
    assert guesses_until_locked(client, "chief", "contributor", ["198.51.100.7"] * 8) == 5

    assert attempt(client, "chief", "secret-pass-123", address="203.0.113.9").status_code == 429
    assert attempt(client, "contributor", "secret-pass-123").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_after_its_limit_whatever_the_addresses(client, chief, contributor):
    addresses = [f"198.51.100.{number}" for number in range(1, 9)]

    assert guesses_until_locked(client, "chief", "contributor", addresses) == 5
    assert attempt(client, "chief", "secret-pass-123", address="203.0.113.9").status_code == 429


def failures(username):
    return AccessAttempt.objects.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"] or 0


def test_a_good_login_clears_only_its_own_accounts_failures(client, chief, editor):
    for username in ["chief", "chief", "editor", "editor"]:
        attempt(client, username, "wrong")

    assert attempt(client, "editor", "secret-pass-123").status_code == 302

    assert (failures("chief"), failures("editor")) == (2, 0)


def minutes_pass(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_nobody_can_extend_a_lockout_by_trying_again_during_it(client, chief):
    for _ in range(3):
        attempt(client, "chief", "wrong", address="198.51.100.7")
    minutes_pass(10)

    # Someone else keeps trying the locked account, from elsewhere.
    for _ in range(5):
        assert attempt(client, "chief", "wrong", address="192.0.2.44").status_code == 429
    assert failures("chief") == 3
    assert attempt(client, "chief", "secret-pass-123", address="203.0.113.9").status_code == 429

    minutes_pass(6)
    assert attempt(client, "chief", "secret-pass-123", address="203.0.113.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_lockout_says_when_to_try_again(client, chief):
    attempt(client, "chief", "wrong")
    locked = attempt(client, "chief", "wrong")

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert attempt(client, "chief", "secret-pass-123")["Retry-After"] == "900"
    with override_settings(AXES_COOLOFF_TIME=datetime.timedelta(minutes=1)):
        assert attempt(client, "chief", "secret-pass-123")["Retry-After"] == "60"


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
