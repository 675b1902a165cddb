"""Running the web app: one uvicorn process, or several, each with its own socket on the same port.

uvicorn's `--workers` has every process accept from one shared socket. When many browsers connect at once,
the first process awake takes most of the connections and keeps them (keep-alive), so one core queues while
another idles: 17 of 20 connections landed on one of two workers here. With SO_REUSEPORT (Linux, BSD) every
process listens on a socket of its own and the kernel spreads new connections over them. A worker that dies
is started again; one that exits with an error within seconds of starting (a broken setting) stops the lot.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

from pppflow.errors import ConfigError

APP_FACTORY = "pppflow.web.app:create_app"
CRASH_LOOP_SECONDS = 5.0


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A TCP socket bound to (host, port) and listening; with `reuse_port`, one of a group sharing the port."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}",
                          details=["choose another --port, or stop what is using it"]) from None
    sock.listen(2048)
    return sock


def serve_worker(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own socket in the port's group, the app built from the environment."""
    import uvicorn

    sock = listening_socket(host, port, reuse_port=True)
    uvicorn.Server(uvicorn.Config(APP_FACTORY, factory=True, **options)).run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, options: dict[str, Any],
                  say: Callable[[str], None] = print) -> None:
    """Run `workers` processes until SIGINT or SIGTERM; restart any that dies after it got going."""
    if not hasattr(socket, "SO_REUSEPORT"):  # elsewhere, uvicorn's shared socket
        import uvicorn

        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                    timeout_worker_healthcheck=30, **options)
        return
    probe = listening_socket(host, port, reuse_port=True)  # a taken port is reported here, once
    probe.close()
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=serve_worker, args=(host, port, options), daemon=False)
        process.start()
        return process, time.monotonic()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    running = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            _replace_stopped(running, start, say)
    finally:
        _stop_all(running)


def _replace_stopped(running: list[tuple[BaseProcess, float]], start: Callable[[], tuple[BaseProcess, float]],
                     say: Callable[[str], None]) -> None:
    """Start a new worker for each that stopped; one that failed right after starting stops everything."""
    for i, (process, started) in enumerate(running):
        if process.is_alive():
            continue
        exitcode = process.exitcode or 0  # negative: killed by a signal (the OOM killer, someone)
        if exitcode > 0 and time.monotonic() - started < CRASH_LOOP_SECONDS:
            raise ConfigError(f"a web worker stopped right after starting (exit code {process.exitcode})",
                              details=["run with --workers 1 to see why"])
        say(f"web worker {process.pid} stopped (exit code {process.exitcode}); starting another")
        running[i] = start()


def _stop_all(running: list[tuple[BaseProcess, float]]) -> None:
    for process, _ in running:
        if process.is_alive():
            process.terminate()  # uvicorn finishes the requests under way, then exits
    for process, _ in running:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()
