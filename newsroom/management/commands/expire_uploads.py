import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom import import_uploads


class Command(BaseCommand):
    help = (
        "Delete import uploads previewed and never confirmed, older than --hours "
        "(default PENDING_UPLOAD_HOURS, 24). Run it hourly from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, help="age after which an upload is deleted")

    def handle(self, *args, hours, **options):
        hours = getattr(settings, "PENDING_UPLOAD_HOURS", 24) if hours is None else hours
        if hours < 0:
            raise CommandError("--hours must not be negative")
        expired = import_uploads.expire(datetime.timedelta(hours=hours))
        self.stdout.write(f"删除了 {expired} 份超过 {hours:g} 小时未确认的上传。")
