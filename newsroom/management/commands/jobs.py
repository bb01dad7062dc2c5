from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom import progress, tasks
from newsroom.models import Job


class Command(BaseCommand):
    help = "后台工作：列出最近的，或查看一项的进度；--again 重新运行失败或中断的一项。"

    def add_arguments(self, parser):
        parser.add_argument("job", nargs="?", type=int, help="后台工作的编号")
        parser.add_argument("--again", action="store_true", help="重新排队运行（失败或中断的）")

    def handle(self, *args, job, again, **options):
        if job is None:
            for each in Job.objects.select_related("created_by")[:20]:
                self.stdout.write(self.line(each))
            return
        found = Job.objects.filter(pk=job).first()
        if found is None:
            raise CommandError(f"没有第 {job} 号后台工作。")
        if again:
            try:
                found = tasks.run_again(found, None)
            except (PermissionDenied, ValidationError) as error:
                raise CommandError("；".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(self.line(found))

    def line(self, job):
        state = "中断（可重新运行）" if job.broken_off else job.get_state_display()
        text = f"{job.pk}\t{job}\t{state}\t{job.created_at:%Y-%m-%d %H:%M}"
        reported = progress.read(job.pk)
        if reported and not job.finished:
            text += f"\t{reported['step']} {reported['done']}/{reported['total']}"
        if job.outcome:
            text += f"\t{job.outcome}"
        return text
