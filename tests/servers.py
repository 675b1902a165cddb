"""Long-running `pppflow` processes for tests: start one, wait until it is ready, stop it with nothing left open.

Readiness is a condition (a port answering, a line printed), never a fixed sleep. The upper bound is generous
(READY_WITHIN) because the suite runs with several workers on two busy cores; a healthy start takes seconds.
The process writes to a log file, not a pipe: a server that logs a lot can never block on a full pipe, and no
pipe is left for the garbage collector to warn about (filterwarnings = error) in an unrelated test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from pathlib import Path

import httpx

READY_WITHIN = 300.0  # seconds; only reached when something is wrong
STOP_WITHIN = 300.0  # a server stopping its children on a busy machine; also only reached when something is wrong


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pppflow_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `pppflow` command with its own home (embedded database), offline."""
    env = {**os.environ, "PPPFLOW_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}
    env.pop("PPPFLOW_DATABASE_URL", None)
    return env


def run_pppflow(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """A short `pppflow` command to its end (bounded generously; a busy machine is slow, not stuck)."""
    return subprocess.run([sys.executable, "-m", "pppflow", *args], input=stdin, env=env, capture_output=True,
                          text=True, timeout=READY_WITHIN)


class Running:
    """A started process and its log file (stdout and stderr together)."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc, self.log = proc, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_until(self, condition: Callable[[], bool], what: str, within: float = READY_WITHIN) -> None:
        """Poll `condition` until it holds; fail at once (with the log) if the process ended first."""
        def ready() -> bool:
            assert self.proc.poll() is None, f"the process ended (code {self.proc.returncode}) before {what}:\n" \
                + self.output()
            return condition()

        wait_for(ready, what, within, self.output)

    def wait_for_line(self, text: str, within: float = READY_WITHIN) -> str:
        """The output once it contains `text` (a line the process prints when it is ready)."""
        self.wait_until(lambda: text in self.output(), f"{text!r} printed", within)
        return self.output()

    def wait_for_http(self, url: str, within: float = READY_WITHIN) -> None:
        """Until GET `url` answers 200."""
        def answers() -> bool:
            try:
                return httpx.get(url, timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        self.wait_until(answers, f"answer from {url}", within)


def wait_for(condition: Callable[[], bool], what: str, within: float = READY_WITHIN,
             context: Callable[[], str] = str) -> None:
    """Poll `condition` every 0.1 s until it holds; fail after `within` seconds, naming `what` (and `context()`)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"waited {within:g} s for {what}\n{context()}"
        time.sleep(0.1)


@contextmanager
def running(args: list[str], env: dict[str, str], log: Path,
            stop_signal: int = signal.SIGTERM) -> Iterator[Running]:
    """`python -m pppflow ARGS` in the background; on leaving, `stop_signal`, then SIGKILL if it does not stop in
    time. The exit code is `proc.returncode` afterwards, the output `output()`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out, subprocess.Popen([sys.executable, "-m", "pppflow", *args], env=env, stdout=out,
                                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL) as proc:
        try:
            yield Running(proc, log)
        finally:
            stop(proc, stop_signal)


def stop(proc: subprocess.Popen[bytes], stop_signal: int = signal.SIGTERM) -> int:
    """Ask the process to stop, kill it if it has not within STOP_WITHIN; its exit code."""
    if proc.poll() is None:
        proc.send_signal(stop_signal)
        try:
            proc.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@contextmanager
def web_server(env: dict[str, str], log: Path, *extra_args: str, port: int | None = None) -> Iterator[str]:
    """`pppflow web` on a loopback port (a free one unless given), yielded as its base URL once /login answers."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with running(["web", "--port", str(port), *extra_args], env, log) as web:
        web.wait_for_http(f"{base}/login")
        yield base


def join_all(processes: list[BaseProcess], within: float = READY_WITHIN) -> list[int | None]:
    """Wait for child processes (one bound for all), kill any still running, release them; their exit codes."""
    deadline = time.monotonic() + within
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    codes = []
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
        codes.append(process.exitcode)
        process.close()
    return codes
