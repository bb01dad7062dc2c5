"""The 503 page, on any database: a lost connection is a short page, a bug stays a 500."""

from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_lost_connection_in_a_view_is_a_short_503(client):
    with mock.patch(
        "newsroom.views.Issue.objects.public", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "请稍后再试" in body and "OperationalError" not in body and "closed the connection" not in body


def test_a_lost_connection_outside_a_view_is_a_503_too(db):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/articles/")

    assert response.status_code == 503
    assert "请稍后再试" in response.content.decode()


def test_a_bad_query_is_still_a_server_error(db):
    client = Client(raise_request_exception=False)
    with mock.patch("newsroom.views.Issue.objects.public", side_effect=ProgrammingError("syntax error")):
        response = client.get("/")

    assert response.status_code == 500
    assert "syntax error" not in response.content.decode()
