"""`pppflow web --workers N`: every worker on its own socket of the port, a dead worker replaced, a clean stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from pppflow.errors import ConfigError
from pppflow.web.server import listening_socket
from servers import STOP_WITHIN, free_port, running, wait_for


def _children(pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return {int(p) for p in found}


def _listeners(port: int) -> set[int]:
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return {int(p.split("=")[1]) for p in out.replace(",", " ").split() if p.startswith("pid=")}


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            listening_socket("127.0.0.1", port, reuse_port=True)


def test_workers_cannot_start_on_a_taken_port(cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        r = cli("web", "--workers", "2", "--port", str(taken.getsockname()[1]))
    assert r.code != 0 and "cannot listen on" in r.err and "Traceback" not in r.err + r.out


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT (Linux, BSD)")
def test_two_workers_listen_serve_are_replaced_and_stop(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    with running(["web", "--workers", "2", "--port", str(port)], cli.env, tmp_path / "web.log") as web:
        web.wait_until(lambda: len(_listeners(port)) == 2, "two worker processes listening")
        workers = _listeners(port)
        assert workers <= _children(web.proc.pid), "each worker, a child of `pppflow web`, has a socket of its own"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.get("/login").status_code == 200
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:  # one look at the port: two listeners, the killed one not among them
            now = _listeners(port)
            return len(now) == 2 and victim not in now

        web.wait_until(replaced, "a new worker")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert all(client.get("/login").status_code == 200 for _ in range(5))
        serving = _listeners(port)
        web.proc.send_signal(signal.SIGTERM)
        assert web.proc.wait(timeout=STOP_WITHIN) == 0, web.output()
    wait_for(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in serving), "the workers to stop", STOP_WITHIN)
    assert "starting another" in web.output()
