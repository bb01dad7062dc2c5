from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.bulletin.export import export_issue
from newsroom.models import Issue


class Command(BaseCommand):
    help = "把一期报纸导出为整期包（ZIP）：清单、稿件表和图片表、版面文本、图片。"

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, required=True)
        parser.add_argument("--output", "-o", help="ZIP 写到哪里（默认 issue-期号.zip）")

    def handle(self, *args, issue, output, **options):
        found = Issue.objects.filter(number=issue).first()
        if found is None:
            raise CommandError(f"没有第{issue}期。")
        path = Path(output or f"issue-{issue}.zip")
        path.write_bytes(export_issue(found))
        self.stdout.write(f"已写出 {path}（{path.stat().st_size} 字节）。")
