"""The WSGI application that gunicorn (``make serve``) and any other WSGI server run.

Everything loaded by the time the application exists (Django, the apps, their models) lives
as long as the worker. It is moved out of the garbage collector's sight (``gc.freeze``): the
collector's full passes over those objects had stopped a worker for 60 ms every few hundred
requests, which readers met as the slowest one in a hundred.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

gc.collect()
gc.freeze()
