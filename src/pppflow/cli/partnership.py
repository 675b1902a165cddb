"""`pppflow partnership ...`: import, export, list, show, advance, history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, read_document
from pppflow.cli.output import console, escape, print_read

app = typer.Typer(no_args_is_help=True, help="Import, inspect and advance partnerships.")

RefArg = Annotated[str, typer.Argument(help="The partnership's reference (REF), as printed by import.")]


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A pppflow/v1 spec, YAML or JSON ('-' for stdin).")],
            as_new: Annotated[bool, typer.Option("--as-new", help="Import a copy even if this partnership "
                                                 "was imported before (it gets REF-2, REF-3, ...).")] = False,
            json_: JsonOption = False, actor: ActorOption = None) -> None:
    """Import a partnership spec; prints the new partnership's REF. An invalid file or a repeat stores nothing."""
    from pppflow import bootstrap
    from pppflow.errors import AlreadyImported
    from pppflow.services.partnerships import import_partnership

    try:
        w = bootstrap.wiring()
        p = import_partnership(read_document(file), uow=w.uow(), lifecycles=w.lifecycles, actor=actor_name(actor),
                               now=w.now(), as_new=as_new)
    except AlreadyImported as exc:
        exc.details.append(f"see it with `pppflow partnership show {exc.existing_ref}`; "
                           "to import a separate copy, add --as-new")
        raise
    if json_:
        from pppflow.services.read_models.partnership import PartnershipSummaryRead
        from pppflow.services.views import partnership_summary

        print_read(PartnershipSummaryRead, partnership_summary(p))
    else:
        console.print(p.ref)


@app.command()
def amend(ref: RefArg,
          file: Annotated[Path, typer.Argument(help="The revised pppflow/v1 spec (e.g. an edited export).")],
          reason: Annotated[str | None, typer.Option("--reason", help="Why the content changes.")] = None,
          actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Amend the agreed content (goals, obligations, contributions, term, ...) from a revised spec."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import amend_partnership

    changed = amend_partnership(ref, read_document(file), uow=bootstrap.wiring().uow(),
                                lifecycles=bootstrap.wiring().lifecycles,
                                actor=actor_name(actor),
                                now=bootstrap.wiring().now(), reason=reason)
    if json_:
        from pppflow.services.read_models.partnership import AmendmentRead

        print_read(AmendmentRead, {"ref": ref, "changed": changed})
    elif changed:
        console.print(f"{escape(ref)} amended: {escape(', '.join(changed))}; a signed agreement must be signed "
                      "again in a new version")
    else:
        console.print(f"{escape(ref)}: nothing to amend, the content is the same")


@app.command()
def export(ref: RefArg,
           out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file (atomically).")] = None,
           fmt: Annotated[str, typer.Option("--format", help="yaml or json")] = "yaml") -> None:
    """Write the partnership back in the pppflow/v1 format."""
    from pppflow import bootstrap
    from pppflow.documents_io import dump_document, writable_target, write_out
    from pppflow.services.partnerships import export_partnership

    if out is not None:
        writable_target(out)
    text = dump_document(export_partnership(ref, uow=bootstrap.wiring().uow()), fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_out(out, text)
        console.print(f"wrote {escape(out)}")


@app.command("list")
def list_(stage: Annotated[str | None, typer.Option("--stage", help="Only partnerships in this stage.")] = None,
          json_: JsonOption = False) -> None:
    """List partnerships, optionally in one stage."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import list_partnerships

    items = list_partnerships(uow=bootstrap.wiring().uow(), stage=stage)
    if json_:
        from pppflow.services.read_models.partnership import PartnershipSummaryRead
        from pppflow.services.views import partnership_summary

        print_read(PartnershipSummaryRead, [partnership_summary(p) for p in items])
    elif not items:
        console.print("No partnerships" + (f" in stage {escape(stage)}" if stage else "") +
                      ". Import one with `pppflow partnership import FILE` or try `pppflow demo`.")
    else:
        from pppflow.cli.tables import partnership_table

        console.print(partnership_table(items))


@app.command()
def show(ref: RefArg, json_: JsonOption = False) -> None:
    """Show where a partnership stands, what can happen next, and why blocked triggers are blocked."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import show_partnership

    today = bootstrap.wiring().day()
    status = show_partnership(ref, uow=bootstrap.wiring().uow(), lifecycles=bootstrap.wiring().lifecycles, as_of=today)
    if json_:
        from pppflow.services.read_models.partnership import PartnershipRead
        from pppflow.services.views import partnership_detail

        print_read(PartnershipRead, partnership_detail(status.partnership, status.checks, status.next_checkin, today))
    else:
        from pppflow.cli.tables import print_partnership

        print_partnership(status)


@app.command()
def advance(ref: RefArg, trigger: Annotated[str, typer.Argument(help="e.g. define_goals, agree_framework")],
            reason: Annotated[str | None, typer.Option(
                "--reason", help="Why (required to suspend or terminate).")] = None,
            months: Annotated[int | None, typer.Option("--months", min=1, max=600, help=(
                "Renewal only: extend the term by this many months (default: the spec's term.renewal_months, "
                "else the term's length)."))] = None,
            actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Fire a trigger; a blocked trigger changes nothing and lists every reason (exit 1)."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import advance as advance_service

    p = advance_service(ref, trigger, uow=bootstrap.wiring().uow(), lifecycles=bootstrap.wiring().lifecycles,
                        actor=actor_name(actor), now=bootstrap.wiring().now(), reason=reason, months=months)
    if json_:
        from pppflow.services.read_models.partnership import AdvanceRead

        print_read(AdvanceRead, {"ref": p.ref, "trigger": trigger, "stage": p.stage})
    else:
        console.print(f"{escape(p.ref)}: [bold]{escape(trigger)}[/] -> stage [green]{escape(p.stage)}[/]")


@app.command()
def history(ref: RefArg, json_: JsonOption = False) -> None:
    """The audit trail of one partnership, oldest first."""
    from pppflow import bootstrap
    from pppflow.cli.tables import history_table
    from pppflow.services.partnerships import history as history_service
    from pppflow.services.views import audit_entry_view

    entries = history_service(ref, uow=bootstrap.wiring().uow())
    if json_:
        from pppflow.services.read_models.audit import AuditEntryRead

        print_read(AuditEntryRead, [audit_entry_view(e) for e in entries])
    else:
        console.print(history_table(entries))
