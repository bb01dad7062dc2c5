"""Printed-issue benchmark: an 8-page broadsheet issue's PDF imported as the background job imports it.

    make bench-import-pdf          # alone; make bench-import runs it after the table benchmark

On a fresh SQLite database (``DATABASE_URL``, made here: migrations, regions, bureaus), it lays
out the issue (``bench/printed.py``), then times, as ``tasks._import`` runs them in a worker:
the reading (every page's text, zones and photos, the split into page PDFs), the import (the
plan and the batch written: stories, credits, photos with their renditions, page PDFs, zones)
and the page images (three widths, WebP and JPEG, per page). Prints the seconds of each.
"""

import datetime
import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bench.printed import PAGES, issue_pdf
from newsroom.models import Bureau, PageImage, Photo, Region, Story, Zone
from newsroom.services.imports import Upload, apply_import, plan_import
from newsroom.services.imports.writing import draw_pages
from newsroom.services.regions import load_regions

RESULTS = settings.BASE_DIR / "bench" / "results-import-pdf.json"


class Command(BaseCommand):
    help = "Time the import of an 8-page broadsheet issue's PDF: reading, writing and page images."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE != "bench.import_settings":
            raise CommandError("The import benchmark runs under DJANGO_SETTINGS_MODULE=bench.import_settings.")
        call_command("migrate", verbosity=0)
        load_regions()
        for slug in ["zhangye", "tianshui", "baiyin", "minle", "weiyuan"]:
            Bureau.objects.get_or_create(region=Region.objects.get(slug=slug))
        started = time.perf_counter()
        data = issue_pdf()
        if data is None:
            raise CommandError("没有找到中文字体（apt-get install fonts-wqy-zenhei），无法排出版面。")
        laid_out = time.perf_counter() - started
        upload = [Upload("issue-5001.pdf", data)]

        started = time.perf_counter()
        plan = plan_import(upload, issue_number=5001, issue_date=datetime.date(2026, 11, 20))
        reading = time.perf_counter() - started
        if plan.errors:
            raise CommandError("；".join(problem.message for problem in plan.errors[:5]))
        started = time.perf_counter()
        batch = apply_import(plan)
        importing = time.perf_counter() - started
        started = time.perf_counter()
        draw_pages(batch, now=True)
        images = time.perf_counter() - started

        result = {
            "pages": len(PAGES),
            "pdf_bytes": len(data),
            "stories": Story.objects.count(),
            "photos": Photo.objects.count(),
            "zones": Zone.objects.count(),
            "page_images": PageImage.objects.count(),
            "layout_s": round(laid_out, 2),
            "reading_s": round(reading, 2),
            "reading_per_page_s": round(reading / len(PAGES), 2),
            "import_s": round(importing, 2),
            "page_images_s": round(images, 2),
            "total_s": round(reading + importing + images, 2),
        }
        print(
            f"An {result['pages']}-page issue ({result['pdf_bytes'] / 1e6:.1f} MB PDF, laid out in {laid_out:.1f} s): "
            f"{result['stories']} stories, {result['photos']} photos, {result['zones']} zones, "
            f"{result['page_images']} page images"
        )
        print(f"{'reading s':>10} {'per page':>9} {'import s':>9} {'images s':>9} {'total s':>8}")
        print(
            f"{reading:>10.2f} {reading / len(PAGES):>9.2f} {importing:>9.2f} {images:>9.2f} "
            f"{reading + importing + images:>8.2f}"
        )
        RESULTS.write_text(json.dumps(result, indent=1))
