"""`pppflow agreement attach-signed` and `export`: agreement files that come back signed, or go out for redlining."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.agreement import Ref, Version, app
from pppflow.cli.context import ActorOption, JsonOption, actor_name
from pppflow.cli.output import console, escape, print_read
from pppflow.errors import BadInput


@app.command("attach-signed")
def attach_signed(ref: Ref, version: Version,
                  file: Annotated[Path, typer.Argument(help="The version's PDF, signed with another tool.")],
                  actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Accept a copy of a version signed outside pppflow (PAdES); record who signed it from the certificates."""
    from pppflow import bootstrap
    from pppflow.services.agreement_signatures import attach_signed as attach

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {file}: {exc.strerror or exc}") from None
    d, partners = attach(ref, version, data, uow_factory=bootstrap.wiring().uow_factory,
                         renderer=bootstrap.wiring().renderer, store=bootstrap.wiring().store,
                         actor=actor_name(actor), now=bootstrap.wiring().now(),
                         policy=bootstrap.wiring().signature_policy)
    if json_:
        from pppflow.services.agreement_views import detail_view
        from pppflow.services.read_models.agreements import SignedCopyRead

        print_read(SignedCopyRead, {"ref": ref, "signed_for": partners, **detail_view(d)})
        return
    console.print(f"version {version}: signatures recorded for {escape(', '.join(partners))}")
    if d.version.status == "signed":
        console.print(f"signed by every partner; executed copy: {escape(d.version.signed_document_path)}")
    else:
        console.print(f"awaiting {escape(', '.join(d.unsigned))}")


@app.command()
def export(ref: Ref, version: Version,
           format_: Annotated[str, typer.Option("--format", help="docx (Word, for redlining)")] = "docx",
           out: Annotated[Path | None, typer.Option("--out", "-o", help="Where to write (default REF-vN.docx)")]
           = None) -> None:
    """Write a version as a Word document with the same articles, tables and signature blocks."""
    from pppflow import bootstrap
    from pppflow.documents_io import write_out
    from pppflow.services.agreement_signatures import agreement_word

    if format_ != "docx":
        raise BadInput(f"--format: unknown format {format_!r}", details=["use docx"])
    name, data = agreement_word(ref, version, uow=bootstrap.wiring().uow(), store=bootstrap.wiring().store)
    target = out or Path(name)
    write_out(target, data)
    console.print(f"version {version} of {escape(ref)} written to {escape(target)}")
