from django.core.management.base import BaseCommand

from newsroom.services.regions import REGIONS_CSV, load_regions


class Command(BaseCommand):
    help = "Load Gansu's regions (province, prefectures, counties). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=REGIONS_CSV, help="CSV of slug,name,short_name,level,parent")

    def handle(self, *args, file, **options):
        result = load_regions(file)
        self.stdout.write(f"Regions: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
