from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.bulletin.export import export_issue
from newsroom.models import Issue


class Command(BaseCommand):
    help = "Write an issue as a bundle (ZIP): manifest, stories and photos as tables, page texts, photos."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, required=True)
        parser.add_argument("--output", "-o", help="where to write the ZIP (default: issue-N.zip)")

    def handle(self, *args, issue, output, **options):
        found = Issue.objects.filter(number=issue).first()
        if found is None:
            raise CommandError(f"没有第{issue}期。")
        path = Path(output or f"issue-{issue}.zip")
        path.write_bytes(export_issue(found))
        self.stdout.write(f"已写出 {path}（{path.stat().st_size} 字节）。")
