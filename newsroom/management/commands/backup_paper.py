"""Write the whole paper to one archive: the database and every stored file.

    manage.py backup_paper paper-2026-11-25.tar.gz

The archive holds ``data.json`` (every row with its id, by ``dumpdata``, linking to content
types and permissions by natural key, and leaving out what Django makes again by itself:
content types, permissions, sessions, login-throttle records); ``media/<storage>/<name>``
for each file of the ``default`` storage (renditions) and of the ``originals`` storage
(photo originals, private); and ``manifest.json``, listing them with their SHA-256.
``restore_paper`` reads it back. Files are read through the storage API, so media on
object storage is backed up the same way.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

import django
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsroom import backup_format

FORMAT = 1
STORAGES_BACKED_UP = ("default", "originals")
# Left out: what Django makes anew, logins, and the background queue and its jobs (work in passing, not the paper).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "django_tasks_database", "django_rq", "newsroom.job"]


def stored_files(storage, folder=""):
    """Every file name in ``storage``, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


class Command(BaseCommand):
    help = "Back up the whole paper (database and media, private originals included) to a .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file to write")

    def handle(self, *args, archive, **options):
        target = Path(archive)
        with tempfile.TemporaryDirectory() as scratch:
            data_path = Path(scratch) / "data.json"
            backup_format.register()
            call_command(
                "dumpdata",
                format=backup_format.FORMAT_NAME,
                exclude=EXCLUDED,
                natural_foreign=True,
                indent=None,
                output=str(data_path),
                verbosity=0,
            )
            data = data_path.read_bytes()
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "django": django.get_version(),
            "rows": len(json.loads(data)),
            "data_sha256": hashlib.sha256(data).hexdigest(),
            "files": [],
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            add_bytes(tar, "data.json", data)
            for alias in STORAGES_BACKED_UP:
                storage = storages[alias]
                for name in stored_files(storage):
                    with storage.open(name, "rb") as handle:
                        content = handle.read()
                    add_bytes(tar, f"media/{alias}/{name}", content)
                    manifest["files"].append(
                        {
                            "storage": alias,
                            "name": name,
                            "size": len(content),
                            "sha256": hashlib.sha256(content).hexdigest(),
                        }
                    )
            add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        # Only a complete archive gets the name asked for.
        partial.replace(target)
        self.stdout.write(
            f"Backed up {manifest['rows']} rows and {len(manifest['files'])} files to {target} "
            f"({target.stat().st_size} bytes)."
        )
