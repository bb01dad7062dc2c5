from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "运行一个后台进程，处理所配置队列（TASKS_BACKEND）中的工作：导入、撤销、邮件、图片。"
        "按工作量运行多个，可在任何连得上数据库（和 Redis）的机器上。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="处理完当前排队的工作后退出")
        parser.add_argument("--reload", action="store_true", help="代码改动后自动重启（开发用）")

    def handle(self, *args, burst, reload, verbosity, **options):
        if settings.TASKS_BACKEND == "redis":
            # RQ runs each job in a process of its own; the job class makes a job a Django task.
            arguments = ["default", "--job-class", "django_tasks_rq.Job", "--worker-ttl", "60"]
            call_command("rqworker", *arguments, burst=burst, verbosity=verbosity)
        else:
            arguments = ["--queue-name", "default", "--interval", "0.5", "--no-startup-delay"]
            if burst:
                arguments.append("--batch")
            arguments.append("--reload" if reload else "--no-reload")
            call_command("db_worker", *arguments, verbosity=verbosity)
