"""One measured run of the import benchmark, in a process of its own (``manage.py bench_import`` starts it).

It imports no more than the run needs, so the memory it reports is the importer's.
"""

import json
import resource

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.imports import IMPORTERS, csv_bytes, make_rows, prepare, run_ours, run_plain


class Command(BaseCommand):
    help = "Time one importer on the database of DATABASE_URL; prints seconds and peak memory as JSON."
    # The run starts from Django's setup alone: the system checks would load the URLs, the views and
    # the admin into the memory it measures.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("importer", choices=[name for name, _ in IMPORTERS])
        parser.add_argument("--rows", type=int, default=10_000, help="story rows to import")

    def handle(self, *args, importer, rows, **options):
        if settings.SETTINGS_MODULE != "bench.import_settings":
            raise CommandError("The import benchmark runs under DJANGO_SETTINGS_MODULE=bench.import_settings.")
        prepare()
        story_rows = make_rows(rows)
        data = csv_bytes(story_rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        dry, wet, undo = (run_ours if importer == "ours" else run_plain)(data, story_rows)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {"dry": dry, "wet": wet, "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024}
        print(json.dumps({**result, **undo}))
