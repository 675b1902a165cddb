"""What Prefect needs on one machine: settings under PPPFLOW_HOME, and a local server for schedules.

No Prefect import here: the environment must be set before Prefect is imported, and the server is a child
process (`prefect server start`), stopped when the block ends.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

from pppflow.config import environ_for_prefect
from pppflow.errors import ConfigError


def prefect_environment(home: Path, env: MutableMapping[str, str] | None = None) -> None:
    """Embedded defaults for Prefect (what the user set wins): its home under PPPFLOW_HOME, no telemetry,
    and time for a first start of the temporary server, which can take 25 s on a fresh home."""
    env = environ_for_prefect() if env is None else env
    env.setdefault("PREFECT_HOME", str(home / "prefect"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # Prefect does not create its home's parents: in a fresh PPPFLOW_HOME its temporary server could not open
    # its database ("unable to open database file") and `flows run` timed out
    Path(env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def healthy(api_url: str) -> bool:
    """Whether a Prefect server answers its health check at `api_url`."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def serve_file(home: Path) -> Path:
    """Where a running `pppflow serve` notes its Prefect server's API URL (under $PPPFLOW_HOME)."""
    return home / "prefect" / "serve.json"


def note_server(home: Path, api_url: str) -> None:
    """Note the API URL of this `serve`'s Prefect server, for `flows run` to reuse."""
    path = serve_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"api_url": api_url, "pid": os.getpid()}), encoding="utf-8")
    os.replace(temporary, path)


def forget_server(home: Path) -> None:
    serve_file(home).unlink(missing_ok=True)


def running_server(home: Path) -> str | None:
    """The API URL of the Prefect server of a running `pppflow serve` with this home, if it answers."""
    try:
        api_url = str(json.loads(serve_file(home).read_text(encoding="utf-8"))["api_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return api_url if healthy(api_url) else None


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on host:port."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def server_environment(home: Path, *, host: str, port: int) -> dict[str, str]:
    """The environment of `prefect server start` on `host:port`: its UI calls the API on that same port."""
    env = dict(environ_for_prefect())
    prefect_environment(home, env)
    env.pop("PREFECT_API_URL", None)  # the server itself must not point at another one
    # without these the UI asks http://127.0.0.1:4200/api whatever --port says
    env["PREFECT_SERVER_API_HOST"], env["PREFECT_SERVER_API_PORT"] = host, str(port)
    env["PREFECT_UI_API_URL"] = f"http://{host}:{port}/api"
    return env


@contextmanager
def local_server(home: Path, *, host: str = "127.0.0.1", port: int = 4200,
                 timeout: float = 180.0) -> Iterator[str]:
    """Run `prefect server start` (SQLite under PREFECT_HOME) until the block ends; yields the API URL."""
    if port_taken(host, port):
        raise ConfigError(f"port {port} on {host} is in use", details=["choose another one with --port"])
    env = server_environment(home, host=host, port=port)
    log_path = Path(env["PREFECT_HOME"]) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    api_url = env["PREFECT_UI_API_URL"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_healthy(api_url, process, timeout, log_path)
        yield api_url
    finally:
        stop(process)


def wait_until_healthy(api_url: str, process: subprocess.Popen[bytes], timeout: float, log_path: Path) -> None:
    """Poll the health check until it answers; ConfigError when the server exits or takes too long."""
    deadline = time.monotonic() + timeout
    while not healthy(api_url):
        if process.poll() is not None:
            raise ConfigError("the Prefect server stopped while starting", details=tail(log_path))
        if time.monotonic() > deadline:
            raise ConfigError(f"the Prefect server did not answer within {timeout:.0f} s",
                              details=[f"see {log_path}", *tail(log_path)])
        time.sleep(0.5)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and the processes it started (its own process group), politely first."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(path: Path, lines: int = 8) -> list[str]:
    """The last lines of a log, for an error message."""
    try:
        return path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []
