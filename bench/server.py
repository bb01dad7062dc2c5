"""The server the benchmark measures: gunicorn on a free port of 127.0.0.1, started and stopped by the benchmark."""

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
SERVER_LOG = Path(tempfile.gettempdir()) / "newsroom-bench-server.log"
PAGE_CACHE_VARIABLE = "NEWSROOM_PAGE_CACHE"


class GunicornServer:
    """gunicorn serving ``bench.settings`` with ``env`` added, for the length of a ``with`` block."""

    def __init__(self, workers, worker_class, threads, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **env}
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--worker-class={self.worker_class}",
            f"--threads={self.threads}",
            "--keep-alive=5",
            "--graceful-timeout=5",
            "--timeout=60",
            "--log-level=warning",
        ]
        self.log = open(SERVER_LOG, "a", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self.log.write(f"\n--- {time.strftime('%H:%M:%S')} {' '.join(command[2:])}\n")
        self.log.flush()
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=self.log)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {SERVER_LOG}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/_floor/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {seconds} s; see {SERVER_LOG}")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        return False
