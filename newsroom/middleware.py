"""Middleware: a short 503 page while the database is away, and the originals' own host kept to originals.

When the database goes away, readers get a short 503 page, and the site comes back by itself.
A request that meets a lost or refused database connection gets ``templates/jinja2/503.html``
(rendered without touching the database) with ``Retry-After``, never a stack trace. The
broken connection is closed there and then, so the next request opens a fresh one as
soon as the database answers again: no restart, whatever ``CONN_MAX_AGE`` is.
"""

import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseNotFound
from django.template import loader

from . import images

logger = logging.getLogger("newsroom.database")

RETRY_AFTER_SECONDS = 30


def is_database_outage(error):
    """A connection lost or refused, as opposed to a bad query (which stays a 500 and a bug)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # Some drivers raise a bare DatabaseError for a connection closed under them.
    return isinstance(error, DatabaseError) and "connection" in str(error).lower() and "closed" in str(error).lower()


def close_broken_connections():
    for connection in connections.all(initialized_only=True):
        try:
            if connection.connection is not None and not connection.is_usable():
                connection.close()
        except Exception:  # noqa: BLE001 - closing what is already broken may fail too
            connection.connection = None


def unavailable_response():
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error("Database unavailable on %s: %s", request.path, exception)
        close_broken_connections()
        return unavailable_response()


def server_error(request, template_name="500.html"):
    """``handler500``: a database outage met outside a view (a session save, say) is a 503 too."""
    error = sys.exc_info()[1]
    if error is not None and is_database_outage(error):
        close_broken_connections()
        return unavailable_response()
    from django.views import defaults

    return defaults.server_error(request, template_name)


class OriginalsHostMiddleware:
    """The originals' own host (``ORIGINALS_ORIGIN``) answers for originals and nothing else.

    Not the admin, not readers' pages, not static files: a login form or a session there would
    give a file rendered on that host something to reach.
    """

    def __init__(self, get_response):
        if not settings.ORIGINALS_ORIGIN:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.host = urlsplit(settings.ORIGINALS_ORIGIN).netloc

    def __call__(self, request):
        if request.get_host() == self.host and not request.path.startswith(images.ORIGINALS_URL):
            return HttpResponseNotFound("这个地址只提供图片原图。", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
