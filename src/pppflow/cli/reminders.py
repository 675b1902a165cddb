"""`pppflow remind` (what is due on a day, sent without Prefect), `pppflow outbox list` and `outbox retry`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pppflow.cli.context import JsonOption, parse_day
from pppflow.cli.output import console, escape, print_json, print_read

outbox_app = typer.Typer(no_args_is_help=True, help="Reminder mail: every message passes through the outbox.")

AsOf = Annotated[str | None, typer.Option("--as-of", help="The day to work out, YYYY-MM-DD (default: today).")]


def remind(as_of: AsOf = None,
           dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; write and send "
                                                                  "nothing.")] = False,
           json_: JsonOption = False) -> None:
    """Send what is due on a day: check-in reminders and escalations, obligation reminders, renewal notices.

    Exit 1 when a message could not be sent; it stays in the outbox and is retried on a later run.
    """
    from pppflow import bootstrap
    from pppflow.services.digest import send_partner_digests
    from pppflow.services.reminder_day import call, run_reminder_day
    from pppflow.services.reminders import CHECKIN_KINDS, RENEWAL_KINDS
    from pppflow.upkeep import daily_audit_checkpoint, prune_outbox

    w = bootstrap.wiring()
    day = w.day(parse_day(as_of, "--as-of"))
    parts: dict[str, Any] = {"uow_factory": w.uow_factory, "mailer": w.mailer, "now": w.now(),
                             "lifecycles": w.lifecycles, "dry_run": dry_run, "mail_from": w.mail_from}
    runs = [run_reminder_day(day, kinds, **parts, run_step=call) for kinds in (CHECKIN_KINDS, RENEWAL_KINDS)]
    pruned, checkpoint = (0, None) if dry_run else (prune_outbox(w), daily_audit_checkpoint(w))
    digests = send_partner_digests(day, **parts, base_url=w.base_url, run_step=call)
    if not dry_run:  # invitation mail that could not be sent at once is retried here too
        from pppflow.services.invitations import deliver_invitations

        deliver_invitations(uow_factory=w.uow_factory, mailer=parts["mailer"], now=parts["now"])
    queued = [q for run in runs for q in run.queued]
    summary = {"as_of": day, "dry_run": dry_run, "due": sum(r.due for r in runs),
               "missed_checkins": sum(r.missed for r in runs), "sent": sum(r.sent for r in runs),
               "failed": sum(r.failed for r in runs), "waiting": sum(r.waiting for r in runs),
               "uncertain": sum(r.uncertain for r in runs), "pruned": pruned, "audit_checkpoint": checkpoint,
               "digests": {"queued": len(digests.queued), "sent": digests.sent, "failed": digests.failed},
               "would_queue" if dry_run else "queued": [
                   {"key": q.key, "ref": q.ref, "kind": q.kind, "step": q.step, "send_on": q.send_on,
                    "to": list(q.recipients)} for q in queued]}
    if json_:
        print_json(summary)
    else:
        print_run(summary, queued, dry_run)
    if summary["failed"] or summary["uncertain"] or (checkpoint and not checkpoint["ok"]) or digests.failed:
        raise typer.Exit(1)


def print_run(summary: dict[str, Any], queued: list[Any], dry_run: bool) -> None:
    """The queued (or would-be) messages as a table, and a summary line."""
    from rich.table import Table

    if queued:
        table = Table(title=("Would send" if dry_run else "Queued") + f" on {summary['as_of']}", title_justify="left")
        for column in ("Due since", "REF", "Kind", "Step", "To"):
            table.add_column(column)
        for q in queued:
            table.add_row(str(q.send_on), escape(q.ref), q.kind, q.step, escape(", ".join(q.recipients)))
        console.print(table)
    if dry_run:
        console.print(f"Dry run for {summary['as_of']}: {len(queued)} new message(s) would be sent, "
                      f"{summary['waiting']} waiting in the outbox; nothing was written or sent.")
        return
    console.print(f"{summary['as_of']}: {len(queued)} new message(s) queued; {summary['sent']} sent, "
                  f"{summary['failed']} failed; {summary['missed_checkins']} check-in(s) marked missed.")
    if summary["uncertain"]:
        console.print(f"{summary['uncertain']} message(s) are uncertain (the mail server may have them) and are not "
                      "resent by themselves: `pppflow outbox list --uncertain`, then `pppflow outbox retry ID`.")
    checkpoint = summary.get("audit_checkpoint")
    if checkpoint and checkpoint["ok"]:
        console.print(f"Audit checkpoint of entry {checkpoint['seq']} written.")
    elif checkpoint:
        console.print(f"[bold red]No audit checkpoint:[/] {escape(checkpoint['problem'])}")
    d = summary.get("digests") or {}
    if d.get("queued") or d.get("sent") or d.get("failed"):
        console.print(f"{d['queued']} partner digest(s) queued; {d['sent']} sent, {d['failed']} failed.")
    if summary["waiting"]:
        console.print(f"{summary['waiting']} message(s) wait in the outbox for a retry: "
                      "`pppflow outbox list --failed` shows why.")


@outbox_app.command("list")
def list_(failed: Annotated[bool, typer.Option("--failed", help="Only messages that failed (retried later, or "
                                                                 "given up).")] = False,
          pending: Annotated[bool, typer.Option("--pending", help="Only messages not sent yet.")] = False,
          uncertain: Annotated[bool, typer.Option("--uncertain", help="Only messages that may or may not have "
                                                                       "arrived (the sender stopped mid-hand-off).")]
          = False,
          limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 100,
          json_: JsonOption = False) -> None:
    """The outbox, newest first: what was sent, what waits, and why a message failed."""
    from pppflow import bootstrap
    from pppflow.services.checkin_views import mail_folder, outbox_view
    from pppflow.services.reminders import outbox_messages

    folder = mail_folder(bootstrap.wiring().mailer)
    rows = outbox_messages(uow=bootstrap.wiring().uow(), failed=failed, pending=pending, uncertain=uncertain,
                           limit=limit)
    views = [outbox_view(m, folder) for m in rows]
    if json_:
        from pppflow.services.read_models.checkins import OutboxMessageRead

        print_read(OutboxMessageRead, views)
        return
    if not views:
        console.print("The outbox holds no such message.")
        return
    from rich.table import Table

    table = Table(title="Outbox", title_justify="left")
    for column in ("ID", "Queued (UTC)", "Status", "REF", "Reminder", "To", "Tries", "Next try / error"):
        table.add_column(column)
    for v in views:
        note = v["last_error"] or ""
        if v["status"] == "pending" and v["next_attempt_at"]:
            note = f"{v['next_attempt_at']:%Y-%m-%d %H:%M}: {note}"
        table.add_row(str(v["id"]), f"{v['created_at']:%Y-%m-%d %H:%M}", v["status"], escape(v["ref"]),
                      escape(f"{v['kind']} {v['step']} {v['about']}"),
                      escape(", ".join(r["email"] for r in v["recipients"])),
                      str(v["attempts"]), escape(note))
    console.print(table)
    if folder is not None:
        console.print(f"Sent messages are files in {escape(folder)} (one .eml each; PPPFLOW_SMTP_HOST sends "
                      "them by SMTP instead).")


@outbox_app.command()
def retry(ids: Annotated[list[int] | None, typer.Argument(help="IDs from `outbox list`.", show_default=False)] = None,
          failed: Annotated[bool, typer.Option("--failed", help="Every failed message.")] = False,
          uncertain: Annotated[bool, typer.Option("--uncertain", help="Every uncertain message (it may arrive "
                                                                       "twice).")] = False,
          json_: JsonOption = False) -> None:
    """Send failed or uncertain messages now (after fixing the mail settings); exit 1 if any fails again."""
    from pppflow import bootstrap
    from pppflow.services.outbox import retry_messages

    r = retry_messages(ids or [], failed=failed, uncertain=uncertain, uow_factory=bootstrap.wiring().uow_factory,
                       mailer=bootstrap.wiring().mailer, now=bootstrap.wiring().now())
    if json_:
        print_json({"retried": r.retried, "sent": r.sent, "failed": r.failed, "uncertain": r.uncertain})
    else:
        console.print(f"{len(r.retried)} message(s) retried: {r.sent} sent, {r.failed} failed, "
                      f"{r.uncertain} uncertain.")
    if r.failed or r.uncertain:
        raise typer.Exit(1)
