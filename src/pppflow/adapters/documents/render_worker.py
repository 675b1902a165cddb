"""The WeasyPrint step in a worker process that is killed at a time limit, so no document can tie up a caller.

Layout time grows with the input in ways a template cannot bound (one unbroken 20 KB word took 40 s); a thread
cannot be stopped, a process can. Workers are forked from a `forkserver` that has imported WeasyPrint once, so a
render does not pay the import (about a second) again, and no worker is forked from a process running threads
(the web app's). The PDF travels back through a pipe; a worker past the limit is killed and the render fails
with `RenderError`, before anything is stored.
"""

from __future__ import annotations

import multiprocessing
import re
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pppflow.errors import RenderError

PRELOAD = "pppflow.adapters.documents.pdf"
LONG_RUN = 64  # characters without a break opportunity before a zero-width space is offered
_TAG_OR_TEXT = re.compile(r"(<(?:style|script)\b.*?</(?:style|script)\s*>|<[^>]*>)", re.DOTALL | re.IGNORECASE)
_RUN = re.compile(rf"[^\s<>&]{{{LONG_RUN}}}(?=[^\s<>&])")


def offer_line_breaks(html: str) -> str:
    """Put a zero-width space after every 64 characters of an unbroken run in the text (never inside a tag, an
    entity, a style or a script): a 20 KB word then lays out in seconds instead of minutes."""
    parts = _TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even items are text between tags
        if len(parts[i]) > LONG_RUN:
            parts[i] = _RUN.sub(lambda m: m.group(0) + "\u200b", parts[i])
    return "".join(parts)


def _render_in_worker(conn: Connection, html: str, options: dict[str, Any]) -> None:
    """Worker body: render, send ("ok", bytes) or ("error", message), exit."""
    from pppflow.adapters.documents.pdf import write_pdf
    from pppflow.errors import PppflowError

    try:
        result: tuple[str, Any] = ("ok", write_pdf(html, **options))
    except PppflowError as exc:
        result = ("error", exc.message)
    except Exception as exc:  # noqa: BLE001 - anything else is reported as a failed render, never lost
        result = ("error", f"could not render the agreement PDF: {type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    finally:
        conn.close()


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


def start_worker_server() -> None:
    """Start the forkserver now (it imports WeasyPrint), so that the first render does not wait for it."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def render_pdf_bounded(html: str, *, assets_dir: Path, attachment_json: str, title: str,
                       time_limit: float, attachment_name: str = "agreement.json") -> bytes:
    """`write_pdf` in a worker process; killed after `time_limit` seconds (RenderError, nothing returned)."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    options = {"assets_dir": Path(assets_dir), "attachment_json": attachment_json, "title": title,
               "attachment_name": attachment_name}
    worker = context.Process(target=_render_in_worker, args=(sender, html, options), daemon=True,
                             name="pppflow-render")
    started = time.monotonic()
    try:
        worker.start()
        sender.close()  # the worker holds the only writing end: its death ends the pipe
        if not receiver.poll(time_limit):
            raise RenderError(
                f"rendering the agreement PDF took longer than the limit of {time_limit:g} s and was stopped; "
                "nothing was saved",
                details=["shorten very long texts (such as words without spaces), or raise "
                         "PPPFLOW_RENDER_TIME_LIMIT"])
        try:
            status, value = receiver.recv()
        except EOFError:
            worker.join(5)
            raise RenderError(f"the PDF renderer stopped unexpectedly (exit code {worker.exitcode}) after "
                              f"{time.monotonic() - started:.1f} s; nothing was saved") from None
    finally:
        sender.close()
        receiver.close()
        if worker.is_alive():
            worker.kill()
        if worker.pid is not None:
            worker.join()
            worker.close()
    if status != "ok":
        raise RenderError(str(value))
    return bytes(value)
