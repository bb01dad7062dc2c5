"""The soak's load generator: ``--connections`` keep-alive connections on a mix of pages for ``--duration`` seconds.

``manage.py soak`` runs it in a process of its own, with the pages to ask for
in a JSON file; it prints the latencies, the status counts and the failed
requests as JSON.

    python -m bench.soak_load --port 8000 --paths paths.json --duration 10 --connections 10
"""

import argparse
import asyncio
import json
import random
import time
from pathlib import Path

from bench.load import latency_summary


async def _request(reader, writer, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: newsroom-soak\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, close


JUNK = ("x", "utm_source", "from", "isappinstalled", "_")


def with_junk(path, rng):
    """``path`` with a parameter no page reads and a fresh value, as shares and crawlers send them."""
    return f"{path}{'&' if '?' in path else '?'}{rng.choice(JUNK)}={rng.getrandbits(32):x}"


async def _connection(port, paths, deadline, latencies, statuses, errors, timeout, junk=0.0):
    reader = writer = None
    rng = random.Random()
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        if rng.random() < junk and not path.startswith("/static/"):
            path = with_junk(path, rng)
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
            start = time.perf_counter()
            status, close = await asyncio.wait_for(_request(reader, writer, path), timeout)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
            if close:
                writer.close()
                writer = None
        except (TimeoutError, OSError, ConnectionError, ValueError, asyncio.IncompleteReadError) as error:
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _drive(port, paths, duration, connections, timeout, junk=0.0):
    latencies, statuses, errors = [], {}, {}
    deadline = time.monotonic() + duration
    started = time.monotonic()
    await asyncio.gather(
        *(_connection(port, paths, deadline, latencies, statuses, errors, timeout, junk) for _ in range(connections))
    )
    elapsed = time.monotonic() - started
    return {
        **latency_summary(latencies, elapsed),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "errors": errors,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", required=True, help="a JSON file: the list of paths to ask for")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30.0, help="a request slower than this is an error")
    parser.add_argument(
        "--junk", type=float, default=0.0, help="the share of requests given a random parameter no page reads"
    )
    args = parser.parse_args(argv)
    paths = json.loads(Path(args.paths).read_text())
    result = asyncio.run(_drive(args.port, paths, args.duration, args.connections, args.timeout, args.junk))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
