"""Operations: errors reach the log as one line each, with their traceback; mail goes where the environment says.

The attack run found staff 500s that left no trace (no logging configured, the
tracebacks sent to a mail handler with no recipients) and a production mailer
with no host that no variable could set.
"""

import base64
import io
import json
import logging
import os
import secrets
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to take a message: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        message = {"to": [], "auth": None}
        self.reply("220 test ESMTP")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-test")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                message["auth"] = base64.b64decode(line.split()[-1]).split(b"\0")[1:]
                self.reply("235 ok")
            elif verb == "MAIL":
                message["from"] = line
                self.reply("250 ok")
            elif verb == "RCPT":
                message["to"].append(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    data += self.rfile.readline()
                message["data"] = data.decode("utf-8", "replace")
                self.server.messages.append(message)
                message = {"to": [], "auth": message["auth"]}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def production_env(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "ADMINS"))}
    environment.pop("DATABASE_URL", None)
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.cn",
        DJANGO_SETTINGS_MODULE="config.settings",
        **env,
    )
    return environment


SEND = """
import logging
import django
django.setup()
from django.core.mail import send_mail
send_mail("稿件已签发", "您的稿件已签发。", None, ["author@example.cn"])
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").error("Internal Server Error: /admin/", exc_info=True)
"""


def test_mail_and_error_reports_go_through_the_smtp_server_the_environment_names(smtp_server):
    port = smtp_server.server_address[1]
    result = subprocess.run(
        [sys.executable, "-c", SEND],
        cwd=ROOT,
        env=production_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            EMAIL_HOST_USER="newsroom",
            EMAIL_HOST_PASSWORD="mail-secret",
            DEFAULT_FROM_EMAIL="desk@news.example.cn",
            ADMINS="ops@news.example.cn",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    notification, report = smtp_server.messages
    assert notification["auth"] == [b"newsroom", b"mail-secret"]
    assert "desk@news.example.cn" in notification["from"] and "author@example.cn" in notification["to"][0]
    assert "ops@news.example.cn" in report["to"][0] and "ZeroDivisionError" in report["data"]
    # And the error is in the log: one line, with its traceback inside.
    records = [json.loads(line) for line in result.stderr.splitlines()]
    error = next(record for record in records if record["level"] == "ERROR")
    assert error["logger"] == "django.request" and error["message"] == "Internal Server Error: /admin/"
    assert "ZeroDivisionError: division by zero" in error["traceback"] and error["time"]


@pytest.fixture
def log_lines():
    """What the stderr handler writes during the test."""
    handler = next(handler for handler in logging.getLogger("django").handlers if handler.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


def test_a_staff_500_is_logged_as_one_line_with_its_traceback(chief, monkeypatch, log_lines):
    def broken(user):
        raise ZeroDivisionError("the desk broke")

    monkeypatch.setattr("newsroom.desk.state_counts", broken)
    client = Client(raise_request_exception=False)
    client.force_login(chief)

    assert client.get("/admin/").status_code == 500

    [error] = [record for record in log_lines() if record["level"] == "ERROR"]
    assert (error["logger"], error["status"], error["method"], error["path"]) == (
        "django.request",
        500,
        "GET",
        "/admin/",
    )
    assert "ZeroDivisionError: the desk broke" in error["traceback"]


def test_check_deploy_is_clean_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
