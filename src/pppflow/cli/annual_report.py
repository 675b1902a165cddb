"""`pppflow report annual`: the annual partnership report as PDF/A (nl or en); registered on the `report` group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import JsonOption
from pppflow.cli.output import console, escape, print_json


def annual(ref: Annotated[str, typer.Argument(help="The partnership's reference (REF).")],
           year: Annotated[int, typer.Option("--year", help="The calendar year the report covers.")],
           lang: Annotated[str | None, typer.Option("--lang", help="nl or en (default: the partnership's "
                                                                   "language).")] = None,
           out: Annotated[Path | None, typer.Option("--out", help="Where to write the PDF (default: "
                                                                  "$PPPFLOW_HOME/documents/reports/REF/).")] = None,
           json_: JsonOption = False) -> None:
    """Maturity per station and its change, the health trend and components, goals, check-ins, contributions."""
    from pppflow import bootstrap
    from pppflow.config import get_settings
    from pppflow.documents_io import writable_target, write_out
    from pppflow.services.reports import annual_report_document

    if out is not None:
        writable_target(out)  # a wrong --out is refused before anything is rendered
    doc = annual_report_document(ref, year, uow=bootstrap.wiring().uow(), files=bootstrap.wiring().assessment_files,
                                 renderer=bootstrap.wiring().report_renderer, now=bootstrap.wiring().now(), lang=lang)
    lang_ = doc.report["lang"]
    target = out or get_settings().documents_dir / "reports" / ref / f"annual-{year}-{lang_}.pdf"
    if out is None:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_out(target, doc.pdf)
    if json_:
        print_json({"ref": ref, "year": year, "lang": lang_, "path": str(target),
                    "score": doc.report["health"]["score"], "band": doc.report["health"]["band"]})
        return
    console.print(f"{escape(ref)}: annual report {year} ({lang_}) written to {escape(str(target))}")
