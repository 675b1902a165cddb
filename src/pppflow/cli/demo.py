"""`pppflow demo`: a demo portfolio in the embedded database, and what to try next."""

from __future__ import annotations

from typing import Annotated

import typer

from pppflow.cli.output import console, escape
from pppflow.cli.web import HostOption, PortOption


def demo(serve: Annotated[bool, typer.Option("--serve", help="Then serve the web app, with an admin account "
                                                "whose password is printed once.")] = False,
         host: HostOption = "127.0.0.1", port: PortOption = 8000) -> None:
    """Load a demo portfolio (several partnerships at different stages) and show what to try next."""
    from pppflow import bootstrap
    from pppflow.cli.tables import partnership_table
    from pppflow.services.demo import load_demo
    from pppflow.services.partnerships import list_partnerships

    with console.status("Loading the demo portfolio…") as status:
        def progress(step: str) -> None:
            console.print(f"[dim]  {escape(step)}…[/]")
            status.update(f"Loading the demo portfolio: {escape(step)}…")

        w = bootstrap.wiring()
        result = load_demo(uow_factory=w.uow_factory, lifecycles=w.lifecycles, renderer=w.renderer, store=w.store,
                           now=w.now(), progress=progress)
    settings = w.settings
    where = settings.database_url if not settings.is_sqlite else settings.database_url.split("///", 1)[-1]
    console.print(f"Demo portfolio in {escape(where)}: {len(result.created)} partnership(s) created"
                  + (f", {len(result.skipped)} already present" if result.skipped else "") + ".")
    console.print(partnership_table(list_partnerships(uow=bootstrap.wiring().uow())))
    console.print("""
[bold]Try next[/]
  pppflow partnership show smart-industry-technician-pact      where it stands and what is blocked, and why
  pppflow partnership advance e-commerce-digital-workplace define_goals   a blocked trigger lists its reasons
  pppflow goal agree e-commerce-digital-workplace online-advice --partner webshops
  pppflow lifecycle show --partnership chemelot-process-innovation-lab --format mermaid
  pppflow partnership history twente-healthcare-skills-ecosystem
  pppflow partnership show care-learning-community-twente    the learning-community lifecycle
  pppflow agreement list smart-industry-technician-pact            signed agreement versions (PDF/A)
  pppflow audit verify""", soft_wrap=True)
    if serve:
        _serve_with_admin(host, port)


def _serve_with_admin(host: str, port: int) -> None:
    """Make sure an administrator exists (its password printed once), then serve the web app."""
    from pppflow import bootstrap
    from pppflow.cli.web import serve
    from pppflow.services.accounts import ensure_admin

    password = ensure_admin(accounts=bootstrap.wiring().accounts, now=bootstrap.wiring().now())
    if password:
        console.print(f"\n[bold]Log in at http://{escape(host)}:{port}/ as admin[/] with the password "
                      f"[bold]{escape(password)}[/] (shown once; `pppflow user password admin` sets a new one).")
    else:
        console.print("\nAn administrator already exists (`pppflow user list`; `pppflow user password NAME` resets "
                      "a password).")
    serve(host, port)
