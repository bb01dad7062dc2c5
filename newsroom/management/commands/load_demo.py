from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from newsroom.demo.loader import load_demo


class Command(BaseCommand):
    help = "Build the demo paper (regions, bureaus, correspondents, three issues, logins per role). Idempotent."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo paper and its known passwords are for development only (DEBUG=true).")
        # The demo's authors need no e-mail about the stories it publishes for them.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            result = load_demo()
        self.stdout.write(
            f"Demo paper: {result.stories_created} stories created, {result.stories_existing} already there."
        )
        if result.notice:
            self.stdout.write(result.notice)
        elif result.pages_printed:
            self.stdout.write(f"Printed pages: {result.pages_printed} page PDFs laid out; a worker makes their images.")
        self.stdout.write("Logins (development only):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<12} {login.password}   {login.role}")
