"""Production settings refuse to start on missing secrets rather than fall back."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_development_needs_nothing_set():
    result = load_settings()

    assert result.returncode == 0
    assert result.stdout.split() == ["True", "zh-hans", "Asia/Shanghai"]


def test_production_without_a_secret_key_refuses_to_start():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="news.example.cn")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_a_weak_secret_key_refuses_to_start():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="news.example.cn", SECRET_KEY="short")

    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = load_settings(DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_with_its_settings_starts():
    result = load_settings(DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="news.example.cn")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_an_originals_origin_must_be_a_scheme_and_a_host():
    result = load_settings(ORIGINALS_ORIGIN="originals.example.org/files")

    assert result.returncode != 0
    assert "ORIGINALS_ORIGIN must be a scheme and a host" in result.stderr


def test_the_originals_origin_is_an_allowed_host():
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.ALLOWED_HOSTS[-1])"],
        cwd=ROOT,
        env={**os.environ, "ORIGINALS_ORIGIN": "https://originals.example.org"},
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "originals.example.org", result.stderr


def test_a_database_url_chooses_postgresql():
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://root@127.0.0.1:5432/newsroom"},
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "django.db.backends.postgresql"
