"""Settings for the import benchmark (``make bench-import``): the project's settings as the environment gives them.

Each measured run is a process of its own with ``DEBUG=true`` and a fresh
``DATABASE_URL``, as ``manage.py import_bulletin`` runs in development; only
the benchmark's commands are added.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
