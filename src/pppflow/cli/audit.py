"""`pppflow audit verify` and `pppflow audit checkpoint`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import JsonOption
from pppflow.cli.output import console, escape, print_json, print_read

app = typer.Typer(no_args_is_help=True, help="The hash-chained audit trail.")

CheckpointOption = Annotated[Path | None, typer.Option(
    "--checkpoint", help="Check the trail against the checkpoints in this file (default: the checkpoint log in "
                         "$PPPFLOW_HOME, when there is one).")]


@app.command()
def verify(checkpoint: CheckpointOption = None, json_: JsonOption = False) -> None:
    """Check every entry, the head and the checkpoints; exit 1 and name the first damaged entry."""
    from pppflow import bootstrap
    from pppflow.domain.audit_checkpoint import parse_checkpoints
    from pppflow.errors import BadInput
    from pppflow.services.audit import verify_audit
    from pppflow.services.views import chain_report_view

    store = bootstrap.wiring().checkpoints
    if checkpoint is None:
        checkpoints = store.logged()
    else:
        try:
            text = checkpoint.expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"cannot read the checkpoint file {checkpoint}: {getattr(exc, 'strerror', None) or exc}") \
                from None
        checkpoints = parse_checkpoints(text, str(checkpoint))
    report = verify_audit(uow=bootstrap.wiring().uow(), checkpoints=checkpoints, key=store.key())
    if json_:
        from pppflow.services.read_models.audit import ChainReportRead

        print_read(ChainReportRead, chain_report_view(report))
    elif report.ok:
        anchored = f"; {report.checkpoints} checkpoint(s) match" if checkpoints else ""
        console.print(f"audit trail intact: {report.entries} entries, every link verified{anchored}")
    else:
        where = f" at entry {report.broken_at}" if report.broken_at else ""
        console.print(f"[bold red]audit trail broken[/]{where}: {escape(report.problem)}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def checkpoint(out: Annotated[Path | None, typer.Option("--out", help="Also write the checkpoint to this file "
                                                                       "(atomically).")] = None,
               json_: JsonOption = False) -> None:
    """Sign the trail's last entry with $PPPFLOW_HOME/audit.key and append it to the checkpoint log.

    Mailed through the outbox to PPPFLOW_AUDIT_CHECKPOINT_TO when set. Exit 1 if the trail does not verify.
    """
    from pppflow import bootstrap
    from pppflow.documents_io import write_out
    from pppflow.upkeep import write_audit_checkpoint

    c = write_audit_checkpoint(bootstrap.wiring())
    if out is not None:
        write_out(out, c.line() + "\n")
    if json_:
        print_json({"seq": c.seq, "hash": c.hash, "at": c.at, "mac": c.mac})
    else:
        log_file = bootstrap.wiring().settings.audit_checkpoint_log
        console.print(f"checkpoint of entry {c.seq} signed and added to {escape(str(log_file))}"
                      + (f"; written to {escape(str(out))}" if out else ""))
