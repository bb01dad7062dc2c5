"""A site of its own for tests that run real processes: a fresh database, cache folder, media and queue.

The web server, the workers and the commands run as a newsroom runs them, in
processes of their own, against the database the suite runs on (SQLite, or a new
PostgreSQL database beside the suite's) and, for the Redis queue, a Redis
database of its own.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg2
import redis
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
REDIS = "redis://127.0.0.1:6379/13"


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _session(sid):
    """The processes of session ``sid`` (Linux: field 6 of /proc/PID/stat)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                found.append(int(entry))
    return found


class Site:
    def __init__(self, folder, *, queue, stale_seconds=60):
        self.folder = folder
        self.queue = queue
        self.database = None
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "TASKS_BACKEND": queue,
            "CACHE_DIR": str(folder / "cache"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
            "JOB_STALE_SECONDS": str(stale_seconds),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        if on_postgres():
            self.database = f"newsroom_site_{uuid.uuid4().hex[:8]}"
            self._postgres(f'CREATE DATABASE "{self.database}"')
            server = settings.DATABASES["default"]
            self.env["DATABASE_URL"] = (
                f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{self.database}"
            )
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{folder / 'site.sqlite3'}"
        if queue == "redis":
            self.env["REDIS_URL"] = REDIS
            redis.Redis.from_url(REDIS).flushdb()
        else:
            self.env.pop("REDIS_URL", None)
        self.processes = []
        self.manage("migrate", "-v0")

    def _postgres(self, statement):
        server = settings.DATABASES["default"]
        connection = psycopg2.connect(
            dbname="postgres", user=server["USER"], host=server["HOST"] or "127.0.0.1", port=server["PORT"] or 5432
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    def manage(self, *args, timeout=180):
        done = subprocess.run(
            [*MANAGE, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def ask(self, code):
        """Run ``code`` in the site (a Django shell) and return what it prints as JSON on its last line."""
        return json.loads(self.manage("shell", "-v0", "-c", code).strip().splitlines()[-1])

    def start(self, *args):
        """A long-running process of the site (a worker, the web server), in a process group of its own."""
        log = open(self.folder / f"{args[0]}-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [*MANAGE, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((process, log))
        return process

    def kill(self, process):
        """Stop it as a machine that loses power would, with every process it started: no chance to clean up.

        (RQ runs each job in a child with a process group of its own; the session holds them all.)
        """
        for pid in _session(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)

    def progress(self, job_id):
        if self.queue == "redis":
            cache = RedisCache(REDIS, {"KEY_PREFIX": "progress"})
        else:
            cache = FileBasedCache(str(self.folder / "cache" / "progress"), {})
        return cache.get(f"job:{job_id}")

    def wait_for(self, condition, *, seconds=90, what="the condition"):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.02)
        raise AssertionError(f"waited {seconds} s for {what}")

    def close(self):
        for process, log in self.processes:
            if process.poll() is None:
                self.kill(process)
            log.close()
        if self.queue == "redis":
            redis.Redis.from_url(REDIS).flushdb()
        if self.database:
            self._postgres(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
