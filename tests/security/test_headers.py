"""Every page, public and admin, carries the security headers, and works under its CSP."""

import re

import pytest
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db


def policy(response):
    return {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }


@pytest.fixture
def paper(regions):
    return factories.published_story(headline="市政协召开常委会议", region=factories.region("minle"))


@pytest.mark.parametrize("url", ["/", "/articles/", "/regions/", "/issues/", "/feeds/latest/", "/sitemap.xml"])
def test_public_pages_carry_the_security_headers(client, paper, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_have_no_inline_script_or_style_the_policy_would_block(client, paper):
    issue = factories.issue(number=1190)
    printed = factories.published_story(headline="版面上的稿件", issue=issue, page=1)
    # The 数字报's zones are placed by SVG attributes: a style attribute would be refused.
    factories.zone(printed, factories.printed(issue.pages.get(number=1)), 0.1, 0.1, 0.5, 0.3)
    urls = ["/", "/articles/", f"/articles/{paper.pk}/", "/regions/", "/regions/zhangye/", "/issues/"]
    for url in [*urls, "/issues/1190/", "/issues/1190/pages/1/", "/issues/calendar/2026/11/"]:
        page = client.get(url).content.decode()
        # Structured data (JSON-LD) is a data block, never run: the policy does not govern it.
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))", page), url
        assert not re.search(r"<style(?![^>]*\bnonce=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        assert not re.search(r"\sstyle=", page), url
        assert "javascript:" not in page, url


def test_admin_pages_work_under_the_policy(client, chief, paper):
    client.force_login(chief)
    for url in ["/admin/", "/admin/newsroom/story/", f"/admin/newsroom/story/{paper.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        page = response.content.decode()
        # Every inline script or style the admin writes carries this response's nonce.
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", page):
            if "src=" in tag:
                continue
            assert nonce and f'nonce="{nonce.group(1)}"' in tag, (url, tag)
        assert not re.search(r"\son(click|load|change|submit)=", page), url


def test_version_comparison_styles_carry_the_nonce(client, chief, paper):
    from newsroom import revisions

    client.force_login(chief)
    versions = list(revisions.versions_of(paper))
    response = client.get(
        f"/admin/newsroom/story/{paper.pk}/versions/compare/", {"a": versions[-1].pk, "b": versions[0].pk}
    )
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)

    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_session_and_csrf_cookies_are_httponly(client, chief):
    response = client.post("/admin/login/", {"username": "chief", "password": "secret-pass-123"})

    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_hsts_on_https(client, db):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_static_files_are_served_by_the_workers(client, db):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


def production_settings(**extra):
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="news.example.cn", **extra)
    return env, Path(__file__).resolve().parents[2], sys.executable, subprocess


def test_production_settings_pass_check_deploy():
    env, root, python, subprocess = production_settings()
    result = subprocess.run(
        [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_secure_cookies_hsts_and_hashed_static_files():
    env, root, python, subprocess = production_settings()
    code = (
        "import config.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = subprocess.run([python, "-c", code], cwd=root, env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
