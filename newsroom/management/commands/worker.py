from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run a background worker for the configured queue (TASKS_BACKEND): imports, undo, mail. "
        "Run as many as the work needs, on any machine that reaches the database (and Redis)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="run what is queued now, then stop")
        parser.add_argument("--reload", action="store_true", help="restart on code changes (development)")

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
