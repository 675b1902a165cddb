"""The web app: `create_app(settings)` wires the desk, the API under /api/v1, the pages and the static files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pppflow import __version__
from pppflow.config import Settings, get_settings
from pppflow.errors import BadInput
from pppflow.web import errors
from pppflow.web.api import API_PREFIX, api_router
from pppflow.web.auth import SessionCookie
from pppflow.web.documents import InputLimits
from pppflow.web.pages import pages_router
from pppflow.web.pages.partnership import KEPT_PAGES
from pppflow.web.request_guard import RequestGuard
from pppflow.web.snapshot import Recent, Snapshot
from pppflow.wiring import build_wiring

STATIC = Path(__file__).resolve().parent / "static"
DASHBOARD_TTL_SECONDS = 10.0
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                 b"script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
]


class SecurityHeaders:
    """Pure ASGI middleware: every response forbids framing, sniffing and scripts from elsewhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(f"{API_PREFIX}/docs"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


async def no_nul_in_url(request: Request) -> None:
    """Every route: a NUL character in the path or the query is bad input on every database (PostgreSQL refuses
    it in text, SQLite would quietly search for it)."""
    if "\x00" in request.url.path or b"%00" in request.scope.get("query_string", b""):
        raise BadInput("the address holds a NUL character (%00)")


def request_threads(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Lifespan: how many requests run their (blocking) work at once in this process.

    The work is mostly Python holding the GIL; twenty threads taking turns at it finish no sooner than four,
    and each waits for the others at every database call, so the slowest answers take twice as long.
    """
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def create_app(settings: Settings | None = None, **overrides: Any) -> FastAPI:
    """The app on the configured database; keyword arguments replace parts of its wiring (tests pass fakes)."""
    settings = settings or get_settings()
    desk = build_wiring(settings, **overrides)
    # built now, not at the first request: a broken seal certificate or workflow stops the start
    for part in ("lifecycles", "signature_policy", "secret_key"):
        getattr(desk, part)
    app = FastAPI(title="pppflow", version=__version__, openapi_url=f"{API_PREFIX}/openapi.json",
                  docs_url=f"{API_PREFIX}/docs", redoc_url=None, lifespan=request_threads(settings.web_threads),
                  dependencies=[Depends(no_nul_in_url)],
                  description="Public-private partnerships in education: lifecycle, goals, obligations, "
                              "agreements and a hash-chained audit trail. Authenticate with "
                              "`Authorization: Bearer <token>` (`pppflow user token USERNAME`).")
    app.state.desk = desk
    app.state.limits = InputLimits.from_settings(settings)
    app.state.dashboard = Snapshot(DASHBOARD_TTL_SECONDS)
    app.state.diagrams = {}  # rendered lifecycle SVGs (pages/rendering.py)
    app.state.partnership_pages = Recent(KEPT_PAGES)  # the partnership pages' content (pages/partnership.py)
    errors.install(app)
    app.include_router(api_router())
    app.include_router(pages_router())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(RequestGuard, limits=app.state.limits)  # inside SessionCookie: it reads the session
    app.add_middleware(SessionCookie)
    app.add_middleware(SecurityHeaders)
    return app
