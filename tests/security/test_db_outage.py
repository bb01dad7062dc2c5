"""The database going away mid-traffic: readers get a short 503 page, and the site comes back by itself.

A TCP proxy, in a thread, stands between the site and PostgreSQL; the test cuts it and
restores it while a real WSGI server (in another thread, keeping its connection open
across requests, as CONN_MAX_AGE does in production) serves the pages.
"""

import contextlib
import socket
import threading
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connection, connections

from newsroom.services.regions import load_regions
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the outage is a TCP proxy between Django and the database server "
        "(run with DATABASE_URL=postgres://…); SQLite is a file and cannot go away this way",
    ),
]


class Proxy:
    """Forwards 127.0.0.1:<port> to the database server until cut; refuses while cut."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_off = threading.Event()
        self.stopping = threading.Event()
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        self.listener.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                continue
            server = socket.create_connection(self.upstream, timeout=5)
            with self.lock:
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, target), daemon=True).start()

    def pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        """The database goes away: open connections are broken, new ones refused."""
        self.cut_off.set()
        with self.lock:
            for end in self.sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                    end.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self):
        self.cut_off.clear()

    def close(self):
        self.stopping.set()
        self.cut()
        self.listener.close()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def site_through_proxy(fresh_roles):
    load_regions()
    story = factories.published_story(headline="断线测试稿件", region=factories.region("minle"))

    settings_dict = connections["default"].settings_dict
    saved = {key: settings_dict.get(key) for key in ("HOST", "PORT", "CONN_MAX_AGE", "OPTIONS")}
    proxy = Proxy((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(proxy.port),
        CONN_MAX_AGE=600,
        CONN_HEALTH_CHECKS=True,
        OPTIONS={**(saved["OPTIONS"] or {}), "connect_timeout": 3},
    )
    # One server thread, so one connection kept open from request to request.
    server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield proxy, f"http://127.0.0.1:{server.server_address[1]}", story
    finally:
        server.shutdown()
        server.server_close()
        proxy.close()
        settings_dict.update(saved)
        settings_dict["CONN_HEALTH_CHECKS"] = True
        connections["default"].close()


def test_readers_get_a_503_while_the_database_is_away_and_the_site_recovers_alone(site_through_proxy):
    proxy, base, story = site_through_proxy
    pages = ["/", "/articles/", f"/articles/{story.pk}/", "/regions/zhangye/"]

    for page in pages:
        status, body, _ = get(base + page)
        assert status == 200, page
    assert "断线测试稿件" in get(base + f"/articles/{story.pk}/")[1]

    proxy.cut()
    for page in pages * 2:
        status, body, headers = get(base + page)
        assert status == 503, page
        assert "请稍后再试" in body
        assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
        assert headers["Retry-After"] == "30"
        assert len(body) < 2000

    proxy.restore()
    # No restart: the very next requests are served again.
    for page in pages:
        status, body, _ = get(base + page)
        assert status == 200, page
    assert "断线测试稿件" in get(base + f"/articles/{story.pk}/")[1]


def test_an_outage_in_the_middle_of_a_request_stream_heals_repeatedly(site_through_proxy):
    proxy, base, story = site_through_proxy
    statuses = []
    for _ in range(3):
        statuses.append(get(base + "/articles/")[0])
        proxy.cut()
        statuses.append(get(base + "/articles/")[0])
        proxy.restore()
        statuses.append(get(base + "/articles/")[0])

    assert statuses == [200, 503, 200] * 3
