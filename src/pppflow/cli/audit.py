"""`pppflow audit verify`."""

from __future__ import annotations

import typer

from pppflow.cli.context import JsonOption
from pppflow.cli.output import console, escape, print_json

app = typer.Typer(no_args_is_help=True, help="The hash-chained audit trail.")


@app.command()
def verify(json_: JsonOption = False) -> None:
    """Check the whole audit trail; exit 1 and name the first broken link if it was tampered with."""
    from pppflow import bootstrap
    from pppflow.services.audit import verify_audit
    from pppflow.services.views import chain_report_view

    report = verify_audit(uow=bootstrap.unit_of_work())
    if json_:
        print_json(chain_report_view(report))
    elif report.ok:
        console.print(f"audit trail intact: {report.entries} entries, every link verified")
    else:
        console.print(f"[bold red]audit trail broken[/] at entry {report.broken_at}: {escape(report.problem)}")
    if not report.ok:
        raise typer.Exit(1)
