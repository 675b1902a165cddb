"""`pppflow checkin record|list REF` and `pppflow checkins due`: check-ins held, coming and overdue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, parse_day, read_document
from pppflow.cli.output import console, escape, print_read

checkin_app = typer.Typer(no_args_is_help=True, help="The check-ins of one partnership: record one held, list them.")
checkins_app = typer.Typer(no_args_is_help=True, help="Check-ins and obligations across the portfolio.")

Ref = Annotated[str, typer.Argument(help="The partnership's reference (REF).")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="The day to look from, YYYY-MM-DD (default: today).")]


@checkin_app.command("record")
def record(ref: Ref,
           held: Annotated[str | None, typer.Option("--date", help="The day it was held, YYYY-MM-DD "
                                                                  "(default: today).")] = None,
           checkin: Annotated[str | None, typer.Option("--checkin", help="The planned date of the check-in it "
                                                                       "was (default: the nearest open one on or "
                                                                       "before --date within the grace days, "
                                                                       "else the next one).")] = None,
           notes: Annotated[str | None, typer.Option("--notes", help="What was discussed.")] = None,
           feedback: Annotated[str | None, typer.Option("--feedback", help="Feedback from the partners.")] = None,
           progress: Annotated[Path | None, typer.Option("--progress", help="Per-obligation progress, YAML or "
                                                                           "JSON ('-' for stdin).")] = None,
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record a check-in held, with effort logged and results reported per obligation."""
    from pppflow import bootstrap
    from pppflow.services.checkins import record_checkin

    report = read_document(progress) if progress is not None else None
    result = record_checkin(ref, uow=bootstrap.wiring().uow(), actor=actor_name(actor), now=bootstrap.wiring().now(),
                            held_on=parse_day(held, "--date"), checkin=parse_day(checkin, "--checkin"),
                            notes=notes, feedback=feedback, progress=report)
    c = result.checkin
    if json_:
        from pppflow.services.checkin_views import checkin_record_view
        from pppflow.services.read_models.checkins import CheckinRecordRead

        print_read(CheckinRecordRead, checkin_record_view(ref, result))
        return
    console.print(f"{escape(ref)}: check-in of {c.due} recorded as held on {c.held_on}")
    for e in result.report.efforts:
        console.print(f"  effort {escape(e.obligation)}: {e.hours} hours ({escape('; '.join(e.activities))})")
    for r in result.report.results:
        evidence = f" ({escape(r.evidence)})" if r.evidence else ""
        console.print(f"  result {escape(r.obligation)}: {r.status}{evidence}")


@checkin_app.command("list")
def list_(ref: Ref, as_of: AsOf = None, json_: JsonOption = False) -> None:
    """Every planned check-in of a partnership with its status, and the effort log."""
    from rich.table import Table

    from pppflow import bootstrap
    from pppflow.services.checkins import list_checkins

    day = bootstrap.wiring().day(parse_day(as_of, "--as-of"))
    overview = list_checkins(ref, uow=bootstrap.wiring().uow(), as_of=day)
    grace = overview.partnership.grace_days
    if json_:
        from pppflow.services.checkin_views import checkins_view
        from pppflow.services.read_models.checkins import CheckinsRead

        print_read(CheckinsRead, checkins_view(ref, overview, day))
        return
    if not overview.checkins:
        console.print(f"{escape(ref)} has no check-ins planned; they are planned when the framework is agreed.")
        return
    table = Table(title=f"Check-ins of {overview.partnership.name} on {day}", title_justify="left")
    for column in ("Date", "Status", "Held on", "Notes", "Feedback"):
        table.add_column(column)
    for c in overview.checkins:
        table.add_row(str(c.due), c.status_on(day, grace), str(c.held_on or ""), escape(c.notes or ""),
                      escape(c.feedback or ""))
    console.print(table)
    if overview.efforts:
        log = Table(title="Effort log", title_justify="left")
        for column in ("Check-in", "Obligation", "Hours", "Activities"):
            log.add_column(column)
        for due, e in overview.efforts:
            log.add_row(str(due), escape(e.obligation), str(e.hours), escape("; ".join(e.activities)))
        console.print(log)


@checkins_app.command("due")
def due(as_of: AsOf = None,
        within: Annotated[int, typer.Option("--within", help="Days ahead for what is upcoming; overdue "
                                                                   "work is listed at any age.")] = 14,
        json_: JsonOption = False) -> None:
    """What is coming and what is overdue: check-ins and obligations across the portfolio."""
    from pppflow import bootstrap
    from pppflow.services.checkins import checkins_due

    day = bootstrap.wiring().day(parse_day(as_of, "--as-of"))
    if within < 0:
        from pppflow.errors import BadInput

        raise BadInput(f"--within must be zero or more days, not {within}")
    items = checkins_due(day, within, uow=bootstrap.wiring().uow(), lifecycles=bootstrap.wiring().lifecycles)
    if json_:
        from pppflow.services.checkin_views import agenda_view
        from pppflow.services.read_models.checkins import AgendaItemRead

        print_read(AgendaItemRead, [agenda_view(i, day) for i in items])
        return
    if not items:
        console.print(f"Nothing overdue, and nothing due within {within} days of {day}.")
        return
    from rich.table import Table

    table = Table(title=f"Overdue, and due within {within} days of {day}", title_justify="left")
    for column in ("Date", "Days", "Status", "REF", "What", "Owner"):
        table.add_column(column)
    for i in items:
        what = "check-in" if i.kind == "checkin" else f"{i.obligation}: {i.title}"
        style = {"missed": "red", "overdue": "red", "due": "yellow"}.get(i.status, "")
        table.add_row(str(i.day), f"{(i.day - day).days:+d}", f"[{style}]{i.status}[/]" if style else i.status,
                      escape(i.ref), escape(what), escape(i.owner or ""))
    console.print(table)

