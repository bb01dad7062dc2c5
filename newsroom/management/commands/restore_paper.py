"""Bring back a paper written by ``backup_paper``, into an empty, migrated database.

    createdb newsroom && DATABASE_URL=… manage.py migrate
    DATABASE_URL=… manage.py restore_paper paper-2026-11-25.tar.gz

Every row and every file comes back in one go: the rows in one transaction (``loaddata``),
then the files through the storage API under their own names, each checked against the
SHA-256 in the archive's manifest. A database that already holds stories is refused
rather than mixed with the archive.
"""

import hashlib
import json
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom import backup_format
from newsroom.models import Story

from .backup_paper import FORMAT, STORAGES_BACKED_UP


class Command(BaseCommand):
    help = "Restore a paper from a backup_paper archive into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file written by backup_paper")

    def handle(self, *args, archive, **options):
        if Story.objects.exists():
            raise CommandError(
                f"The database already holds {Story.objects.count()} stories: restore into an empty database "
                "(create it, run migrate, then restore_paper)."
            )
        try:
            tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
        except (OSError, tarfile.TarError) as error:
            raise CommandError(f"{archive} is not a backup_paper archive: {error}") from error
        with tar:
            try:
                manifest = json.loads(self.read(tar, "manifest.json"))
            except ValueError:  # not JSON, or not even text
                manifest = None
            if not isinstance(manifest, dict):
                raise CommandError(f"{archive}: manifest.json is not readable; the archive is damaged.")
            if manifest.get("format") != FORMAT:
                raise CommandError(f"{archive}: unknown archive format {manifest.get('format')!r}.")
            data = self.read(tar, "data.json")
            if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
                raise CommandError(f"{archive}: data.json does not match its manifest; the archive is damaged.")
            files = []
            for entry in manifest["files"]:
                if entry["storage"] not in STORAGES_BACKED_UP:
                    raise CommandError(f"{archive}: unknown storage {entry['storage']!r}.")
                content = self.read(tar, f"media/{entry['storage']}/{entry['name']}")
                if hashlib.sha256(content).hexdigest() != entry["sha256"]:
                    raise CommandError(
                        f"{archive}: {entry['name']} does not match its manifest; the archive is damaged."
                    )
                files.append((entry, content))

        with tempfile.TemporaryDirectory() as scratch:
            fixture = Path(scratch) / f"paper.{backup_format.FORMAT_NAME}"
            fixture.write_bytes(data)
            backup_format.register()
            with transaction.atomic():
                # The roles a fresh migrate made come back from the archive, with their ids.
                Group.objects.all().delete()
                call_command("loaddata", str(fixture), verbosity=0)
        for entry, content in files:
            storage = storages[entry["storage"]]
            if storage.exists(entry["name"]):
                storage.delete(entry["name"])
            saved = storage.save(entry["name"], ContentFile(content))
            if saved != entry["name"]:
                raise CommandError(f"{entry['name']} was stored as {saved}; the storage renamed it.")
        self.stdout.write(f"Restored {manifest['rows']} rows and {len(files)} files from {archive}.")

    def read(self, tar, name):
        try:
            member = tar.extractfile(name)
            content = None if member is None else member.read()
        except KeyError:
            content = None
        except (EOFError, OSError, tarfile.TarError, zlib.error) as error:
            # Cut short (a copy that broke off) or garbled on the way: gzip and tarfile say so in their own words.
            raise CommandError(f"{tar.name}: the archive is damaged or incomplete ({error}).") from error
        if content is None:
            raise CommandError(f"The archive has no {name}: it is not a complete backup_paper archive.")
        return content
