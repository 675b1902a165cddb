"""`pppflow ledger add|list|correct|attach|summary|book-checkin REF`: the contribution ledger of a partnership."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, parse_day
from pppflow.cli.output import console, escape, print_json, print_read

app = typer.Typer(no_args_is_help=True, help="Realised contributions: the append-only ledger, committed vs realised.")

Ref = Annotated[str, typer.Argument(help="The partnership's reference (REF).")]


def _entry_row(e: Any) -> list[str]:
    note = f"corrects #{e.corrects}: {e.reason}" if e.corrects else e.description
    return [str(e.id), e.on.isoformat(), e.partner, e.phase, e.kind, f"{e.quantity} {e.unit}", f"{e.value_eur}",
            e.basis, f"{e.entered_by} ({e.entered_as})", note or ""]


def _print_entries(title: str, entries: list[Any]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in ("ID", "Date", "Partner", "Phase", "Kind", "Quantity", "EUR", "Basis", "Entered by", "Note"):
        table.add_column(col, justify="right" if col in ("ID", "EUR") else "left")
    for e in entries:
        table.add_row(*[escape(x) for x in _entry_row(e)])
    console.print(table)


@app.command("add")
def add(ref: Ref,
        partner: Annotated[str, typer.Option("--partner", help="The contributing partner's key.")],
        phase: Annotated[str, typer.Option("--phase", help="investment or maintenance")],
        kind: Annotated[str, typer.Option("--kind", help="cash, hours, staff_release, equipment, facilities or "
                                                          "other")],
        quantity: Annotated[str, typer.Option("--quantity", help="How much, in --unit (more than zero).")],
        unit: Annotated[str, typer.Option("--unit", help="EUR, hours, FTE-months or items")],
        day: Annotated[str, typer.Option("--date", help="When it was delivered, YYYY-MM-DD (within the term).")],
        rate: Annotated[str | None, typer.Option("--rate", help="EUR per unit (default: the partnership's rate "
                                                               "table).")] = None,
        value: Annotated[str | None, typer.Option("--value", help="The EUR value (e.g. an invoice value).")] = None,
        role: Annotated[str | None, typer.Option("--role", help="The role whose rate applies (rate table).")] = None,
        description: Annotated[str | None, typer.Option("--description", help="What was contributed.")] = None,
        evidence: Annotated[str | None, typer.Option("--evidence", help="What shows it (an invoice, a "
                                                                       "timesheet).")] = None,
        evidence_files: Annotated[list[Path] | None, typer.Option(
            "--evidence-file", help="An evidence file (PDF, PNG, JPEG or plain text); repeatable. The entry and "
                                    "its files are stored together or not at all.")] = None,
        actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record a realised contribution (entered by the coordinator on the partner's behalf)."""
    from pppflow import bootstrap
    from pppflow.domain.ledger import NewEntry, entry_view
    from pppflow.services.ledger import add_entry

    on = parse_day(day, "--date")
    new = NewEntry(partner=partner, phase=phase, kind=kind, quantity=quantity, unit=unit, on=on, rate=rate,
                   value=value, role=role, description=description or "", evidence=evidence)
    if evidence_files:
        e, files = _add_with_files(ref, new, evidence_files, actor_name(actor))
    else:
        e, files = add_entry(ref, new, uow=bootstrap.wiring().uow(), actor=actor_name(actor),
                             now=bootstrap.wiring().now()), None
    if json_:
        from pppflow.services.read_models.ledger import LedgerEntryRead

        if files is None:
            print_read(LedgerEntryRead, entry_view(e))
        else:  # the entry and the files stored with it
            entry = LedgerEntryRead.model_validate(entry_view(e)).model_dump(mode="json")
            print_json({**entry, "evidence_files": files})
    else:
        console.print(f"ledger entry {e.id}: {escape(partner)} {e.quantity} {e.unit} {e.kind}, "
                      f"valued {e.value_eur} EUR ({escape(e.basis)})")
        for f in files or []:
            console.print(f"  evidence {escape(str(f['filename']))} ({f['media_type']}, {f['size']:,} bytes); "
                          f"sha256 {f['sha256']}")


def _add_with_files(ref: str, new: Any, paths: list[Path], actor: str) -> tuple[Any, list[dict[str, object]]]:
    from pppflow import bootstrap
    from pppflow.cli.evidence import read_evidence_file
    from pppflow.config import get_settings
    from pppflow.domain.ledger_evidence import evidence_view
    from pppflow.services.ledger_evidence import add_entry_with_evidence

    limit = get_settings().evidence_max_bytes
    uploads = [(path.name, read_evidence_file(path, limit)) for path in paths]
    e, files = add_entry_with_evidence(ref, new, uploads, uow=bootstrap.wiring().uow(),
                                       store=bootstrap.wiring().store, actor=actor, now=bootstrap.wiring().now(),
                                       limit=limit)
    return e, [evidence_view(f) for f in files]


@app.command("attach")
def attach(ref: Ref, entry_id: Annotated[int, typer.Argument(help="The entry the file is evidence of.",
                                                             metavar="ENTRY_ID")],
           file: Annotated[Path, typer.Argument(help="The evidence file: PDF, PNG, JPEG or plain text.")],
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Attach an evidence file to a ledger entry (an added, audited record: the entry itself never changes)."""
    from pppflow import bootstrap
    from pppflow.cli.evidence import read_evidence_file
    from pppflow.config import get_settings
    from pppflow.domain.ledger_evidence import evidence_view
    from pppflow.services.ledger_evidence import attach_entry_file

    limit = get_settings().evidence_max_bytes
    f = attach_entry_file(ref, entry_id, file.name, read_evidence_file(file, limit), uow=bootstrap.wiring().uow(),
                          store=bootstrap.wiring().store, actor=actor_name(actor), now=bootstrap.wiring().now(),
                          limit=limit)
    if json_:
        print_json({"ref": ref, **evidence_view(f)})
    else:
        console.print(f"attached {escape(f.filename)} ({f.media_type}, {f.size:,} bytes) to ledger entry {entry_id}; "
                      f"sha256 {f.sha256}")


@app.command("list")
def list_(ref: Ref, partner: Annotated[str | None, typer.Option("--partner", help="Only this partner's.")] = None,
          json_: JsonOption = False) -> None:
    """Every entry of the ledger, corrections included, oldest first."""
    from pppflow import bootstrap
    from pppflow.domain.ledger import entry_view
    from pppflow.services.ledger import list_entries

    entries = list_entries(ref, uow=bootstrap.wiring().uow(), partner=partner)
    if json_:
        from pppflow.services.read_models.ledger import LedgerRead

        print_read(LedgerRead, {"ref": ref, "entries": [entry_view(e) for e in entries]})
    elif not entries:
        console.print(f"{escape(ref)}: the ledger is empty")
    else:
        _print_entries(f"Ledger of {ref}", entries)


@app.command("correct")
def correct(ref: Ref, entry_id: Annotated[int, typer.Argument(help="The entry to reverse.", metavar="ENTRY_ID")],
            reason: Annotated[str, typer.Option("--reason", help="Why it is corrected.")],
            actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Reverse an entry with a reason (a new, negative entry); then add the right one."""
    from pppflow import bootstrap
    from pppflow.domain.ledger import entry_view
    from pppflow.services.ledger import correct_entry

    e = correct_entry(ref, entry_id, reason, uow=bootstrap.wiring().uow(), actor=actor_name(actor),
                      now=bootstrap.wiring().now())
    if json_:
        from pppflow.services.read_models.ledger import LedgerEntryRead

        print_read(LedgerEntryRead, entry_view(e))
    else:
        console.print(f"ledger entry {e.id} reverses entry {entry_id} ({e.quantity} {e.unit}, {e.value_eur} EUR)")


@app.command("summary")
def summary(ref: Ref, as_of: Annotated[str | None, typer.Option("--as-of", help="Count only entries dated up to "
                                                                                "this day, YYYY-MM-DD (default: all, "
                                                                                "as of today).")] = None,
            json_: JsonOption = False) -> None:
    """Committed against realised per partner, phase, kind and year, with the totals."""
    from pppflow import bootstrap
    from pppflow.services.ledger import ledger_summary

    upto = parse_day(as_of, "--as-of")
    s = ledger_summary(ref, uow=bootstrap.wiring().uow(), as_of=bootstrap.wiring().day(upto), upto=upto).view()
    if json_:
        from pppflow.services.read_models.ledger import LedgerSummaryRead

        print_read(LedgerSummaryRead, s)
        return
    from pppflow.cli.ledger_tables import print_summary

    print_summary(s)


@app.command("book-checkin")
def book_checkin(ref: Ref,
                 checkin: Annotated[str, typer.Option("--checkin", help="The planned date of the held check-in "
                                                                        "whose effort hours to book.")],
                 rate: Annotated[str | None, typer.Option("--rate", help="EUR per hour (default: the rate "
                                                                         "table).")] = None,
                 role: Annotated[str | None, typer.Option("--role", help="The role whose rate applies.")] = None,
                 actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Book the effort hours logged at a check-in to the owners' ledgers (each line once)."""
    from pppflow import bootstrap
    from pppflow.domain.ledger import entry_view
    from pppflow.services.ledger import book_checkin as book

    day = parse_day(checkin, "--checkin")
    entries = book(ref, day, uow=bootstrap.wiring().uow(), actor=actor_name(actor), now=bootstrap.wiring().now(),
                   rate=rate, role=role)
    if json_:
        from pppflow.services.read_models.ledger import BookedRead

        print_read(BookedRead, {"ref": ref, "checkin": day, "entries": [entry_view(e) for e in entries]})
    else:
        _print_entries(f"Booked from the check-in of {day}", entries)
