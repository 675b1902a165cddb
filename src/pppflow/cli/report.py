"""`pppflow report funder REF`: the funder's progress report, in PDF/A, CSV, XLSX or JSON, stored as a version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, parse_day
from pppflow.cli.output import console, escape

app = typer.Typer(no_args_is_help=True, help="Reports to funders.")


@app.command("funder")
def funder(ref: Annotated[str, typer.Argument(help="The partnership's reference (REF).")],
           period_end: Annotated[str, typer.Option("--period-end", help="The last day the report covers, "
                                                                        "YYYY-MM-DD.")],
           lang: Annotated[str | None, typer.Option("--lang", help="nl or en (default: the scheme's language, else "
                                                                  "the partnership's).")] = None,
           fmt: Annotated[str, typer.Option("--format", help="pdf, csv, xlsx or json")] = "pdf",
           out: Annotated[Path | None, typer.Option("--out", help="Also write it to this file (JSON and CSV go to "
                                                                  "standard output without it).")] = None,
           actor: ActorOption = None) -> None:
    """Per objective what was done, and the finances (committed vs realised, co-financing), up to --period-end."""
    import sys

    from pppflow import bootstrap
    from pppflow.adapters.documents.funder_report_files import WeasyReportRenderer
    from pppflow.adapters.documents.store import write_atomically
    from pppflow.cli.context import actor_name
    from pppflow.services.funder_reports import generate_funder_report

    day = parse_day(period_end, "--period-end")
    g = generate_funder_report(ref, day, uow_factory=bootstrap.wiring().uow_factory, renderer=WeasyReportRenderer(),
                               store=bootstrap.wiring().store, actor=actor_name(actor), now=bootstrap.wiring().now(),
                               lang=lang, fmt=fmt)
    v = g.version
    if out is not None:
        write_atomically(out, g.data)
    elif fmt in ("json", "csv"):
        sys.stdout.write(g.data.decode("utf-8"))
        return
    where = str(out) if out is not None else v.document_path
    console.print(f"funder report {v.number} of {escape(ref)} ({v.format}, {v.language}, up to {v.period_end}) "
                  f"written to {escape(where)}; sha256 {v.sha256}")
