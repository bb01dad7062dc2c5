"""Settings for the benchmark and the soak: the project's own, run as in production.

The environment is set before the project's settings read it, so the server
that is measured has DEBUG off, a real secret key and fixed allowed hosts, as
a deployment would. ``manage.py bench`` and ``manage.py soak`` run under this
module (``DJANGO_SETTINGS_MODULE=bench.settings``) and hand the same
environment to the servers and processes they start, so every process of one
run shares one generated key.
"""

import os
import secrets
import tempfile

# Never DEBUG under the benchmark: it keeps every query in memory and renders
# other error pages, and production does not run that way.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Its own database, so the archive never lands in the development one.
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/newsroom_bench")
# Plain HTTP on 127.0.0.1, as behind the TLS-terminating proxy of a deployment: no redirect to https.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Static files collected (hashed names, as in production) into a folder of the benchmark's own;
# the commands run collectstatic before they serve.
os.environ.setdefault("STATIC_ROOT", os.path.join(tempfile.gettempdir(), "newsroom-bench-static"))
# Persistent connections, as a deployment would configure; CONN_MAX_AGE=0 in
# the environment measures a connection per request instead.
os.environ.setdefault("CONN_MAX_AGE", "60")
# Pages rendered every time unless said otherwise: the benchmark profiles the pages' queries
# uncached, and the soak measures the worst case. Each server the benchmark starts is told
# one way or the other.
os.environ.setdefault("NEWSROOM_PAGE_CACHE", "0")
# No mail leaves a benchmark (the desk's workflow sends some).
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

from config.settings import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

ROOT_URLCONF = "bench.urls"

# Errors go to the server's log, not to a mailer nobody reads during a run.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
