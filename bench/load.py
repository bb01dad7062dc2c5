"""The load generator: a fixed number of keep-alive connections on one URL for a fixed time.

It runs in its own process, never in the server's. ``wrk`` is used where it is
installed (with a Lua script that reports p95 and the error counts); otherwise
an asyncio client on raw sockets in a child Python process does the same job.
Either way the result is a dict: requests, rps, p50/p95/p99 in milliseconds,
errors (socket errors, time-outs and responses that are not 2xx or 3xx) and
the CPU seconds the generator itself used, so its own cost is on record.

``python -m bench.load URL --duration 5 --connections 8`` runs the Python
client and prints its JSON; ``--echo-server PORT`` serves a fixed response
for measuring how fast the client itself can go.
"""

import argparse
import asyncio
import http.client
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d, "
    .. "\\"p50_us\\": %d, \\"p95_us\\": %d, \\"p99_us\\": %d, \\"max_us\\": %d}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def available_tool(preferred="auto"):
    if preferred == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    if preferred == "wrk":
        raise RuntimeError("wrk is not installed (apt-get install wrk), and --tool wrk asks for it.")
    return "python"


def run_load(url, *, duration, connections, tool="auto", timeout=None):
    """Drive ``url`` from a separate process; returns the measurement as a dict.

    A request that takes longer than ``timeout`` (default: the whole duration)
    is an error, and its latency is unknown but at least that long: when more
    than 1 % (5 %, 50 %) of the requests timed out, p99 (p95, p50) is reported
    as the time-out, a lower bound, rather than as the latency of the ones that
    finished.
    """
    _check_local(url)
    tool = available_tool(tool)
    timeout = timeout or max(1.0, float(duration))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if tool == "wrk":
        result = _run_wrk(url, duration, connections, timeout)
    else:
        command = [sys.executable, "-m", "bench.load", url, "--duration", str(duration)]
        command += ["--connections", str(connections), "--timeout", str(timeout)]
        completed = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 120)
        result = json.loads(completed.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["client_cpu_s"] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3)
    result["tool"] = tool
    result["timeout_ms"] = timeout * 1000
    return _censor(result)


def _censor(result):
    attempts = result["requests"] + result["timeouts"]
    for key, share in (("p50_ms", 0.50), ("p95_ms", 0.05), ("p99_ms", 0.01)):
        if attempts and result["timeouts"] / attempts > (1 - share if key == "p50_ms" else share):
            result[key] = max(result[key], result["timeout_ms"])
            result.setdefault("lower_bounds", []).append(key)
    return result


def _check_local(url):
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"The benchmark only ever loads this machine, not {host!r}.")


def _run_wrk(url, duration, connections, timeout):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        # wrk takes whole seconds only.
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", f"--timeout={round(timeout)}s"]
        command += ["-s", script.name, url]
        completed = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 120)
    finally:
        os.unlink(script.name)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH-JSON "))
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": raw["status"] + socket_errors + raw["timeout"],
        "status_errors": raw["status"],
        "socket_errors": socket_errors,
        "timeouts": raw["timeout"],
    }


# The Python client


class _Connection:
    def __init__(self, host, port, request, timeout):
        self.host, self.port, self.request, self.timeout = host, port, request, timeout
        self.reader = self.writer = None

    async def get(self):
        """One request; returns the status code. Reconnects when the server closed the connection."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _drive(url, duration, connections, timeout):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    host_header = parts.netloc
    request = f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: newsroom-bench\r\n\r\n".encode()
    latencies, counts = [], {"status": 0, "socket": 0, "timeout": 0}
    deadline = time.perf_counter() + duration

    async def one_connection():
        connection = _Connection(parts.hostname, parts.port or 80, request, timeout)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.get(), timeout)
            except TimeoutError:
                counts["timeout"] += 1
                connection.close()
                continue
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                counts["socket"] += 1
                connection.close()
                # A refused or broken connection is retried, but not in a busy loop.
                await asyncio.sleep(0.01)
                continue
            latencies.append(time.perf_counter() - started)
            if not 200 <= status < 400:
                counts["status"] += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    seconds = time.perf_counter() - started
    return {
        **latency_summary(latencies, seconds),
        "errors": counts["status"] + counts["socket"] + counts["timeout"],
        "status_errors": counts["status"],
        "socket_errors": counts["socket"],
        "timeouts": counts["timeout"],
    }


def latency_summary(latencies, seconds):
    """Requests, throughput and p50/p95/p99/max in milliseconds, from latencies in seconds."""
    latencies = sorted(latencies)

    def percentile(share):
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
    }


def wait_until_idle(base_url, *, service_seconds, limit=120.0):
    """Wait until the server has worked off requests the load left behind; returns the seconds waited.

    When a run ends, the generator drops the requests it has in flight, but
    gunicorn still serves them (and a sync worker serves queued connections
    in order), so the next measurement would pay for them. A probe of the
    floor waits behind everything queued: once it comes back at once, the
    queue is empty, and what the workers still hold is done within about one
    request's service time, which is waited out too.
    """
    parts = urlsplit(base_url)
    _check_local(base_url)
    started = time.monotonic()
    while time.monotonic() - started < limit:
        probe_started = time.monotonic()
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=limit)
            connection.request("GET", "/_floor/")
            connection.getresponse().read()
            connection.close()
        except OSError:
            time.sleep(0.2)
            continue
        if time.monotonic() - probe_started < 0.05:
            break
    time.sleep(min(service_seconds, limit))
    return round(time.monotonic() - started, 2)


# A fixed-response server, to measure the client rather than Django


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _echo_server(port, lifetime):
    response = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"

    async def handle(reader, writer):
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        # Stops by itself even if nobody stops it.
        await asyncio.sleep(lifetime)


def measure_client_ceiling(*, duration, connections, tool="auto"):
    """How many requests a second the generator reaches on a server that does nothing: its own ceiling."""
    port = free_port()
    lifetime = duration + 60
    command = [sys.executable, "-m", "bench.load", "--echo-server", str(port), "--lifetime", str(lifetime)]
    server = subprocess.Popen(command)
    try:
        _wait_for_port(port)
        return run_load(f"http://127.0.0.1:{port}/", duration=duration, connections=connections, tool=tool)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_port(port, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"Nothing listens on 127.0.0.1:{port} after {seconds} s.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--echo-server", type=int, metavar="PORT")
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args(argv)
    if args.echo_server:
        asyncio.run(_echo_server(args.echo_server, args.lifetime))
        return
    if not args.url:
        parser.error("a URL is needed")
    _check_local(args.url)
    print(json.dumps(asyncio.run(_drive(args.url, args.duration, args.connections, args.timeout))))


if __name__ == "__main__":
    main()
