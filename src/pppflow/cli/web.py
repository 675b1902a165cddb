"""`pppflow web`: serve the web app and the API with uvicorn (imported only here, so the CLI stays fast)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pppflow.cli.output import console, escape

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]


WorkersOption = Annotated[int, typer.Option("--workers", min=1, max=64,
                                            help="Server processes (default 1; one per core serves more users).")]


def serve(host: str, port: int, workers: int = 1) -> None:
    """Run the app on the configured database until interrupted."""
    import uvicorn

    from pppflow.config import get_settings
    from pppflow.web.app import create_app

    settings = get_settings()
    app = create_app(settings)  # also migrates the database once, before any worker starts
    where = settings.database_url if not settings.is_sqlite else settings.database_url.split("///", 1)[-1]
    console.print(f"pppflow web on [bold]http://{escape(host)}:{port}/[/] (API: /api/v1, docs: /api/v1/docs); "
                  f"database {escape(where)}. Stop with Ctrl+C.")
    options: dict[str, Any] = {"log_level": "warning", "proxy_headers": False, "server_header": False}
    if workers == 1:
        uvicorn.run(app, host=host, port=port, **options)
    else:  # each worker builds its own app from the same environment, on its own socket
        from pppflow.web.server import serve_workers

        serve_workers(host, port, workers, options, say=console.print)


def web(host: HostOption = "127.0.0.1", port: PortOption = 8000, workers: WorkersOption = 1) -> None:
    """Serve the web app and the REST API (default http://127.0.0.1:8000)."""
    serve(host, port, workers)
