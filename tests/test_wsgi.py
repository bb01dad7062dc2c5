"""The web worker's long-lived objects are kept out of the garbage collector's full passes."""

import gc
import importlib
import sys


def test_loading_the_application_freezes_what_is_loaded():
    gc.unfreeze()
    sys.modules.pop("config.wsgi", None)
    try:
        wsgi = importlib.import_module("config.wsgi")
        assert callable(wsgi.application)
        # Django's own modules and the project's models are among what the collector no longer walks.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
