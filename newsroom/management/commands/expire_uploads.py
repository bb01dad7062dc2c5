import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom import import_uploads


class Command(BaseCommand):
    help = (
        "删除预览后一直没有确认导入、超过 --hours 小时（默认 PENDING_UPLOAD_HOURS，24）的上传文件。"
        "请用 cron 或 systemd 定时器每小时运行一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, help="上传文件保留多少小时")

    def handle(self, *args, hours, **options):
        hours = getattr(settings, "PENDING_UPLOAD_HOURS", 24) if hours is None else hours
        if hours < 0:
            raise CommandError("--hours must not be negative")
        expired = import_uploads.expire(datetime.timedelta(hours=hours))
        self.stdout.write(f"删除了 {expired} 份超过 {hours:g} 小时未确认的上传。")
