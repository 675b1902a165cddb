"""Rich renderings of partnerships for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from pppflow.cli.output import console, escape
from pppflow.domain.audit import AuditEntry
from pppflow.domain.model import Partnership
from pppflow.services.history import describe

if TYPE_CHECKING:
    from pppflow.services.partnerships import PartnershipStatus


def partnership_table(items: list[Partnership]) -> Table:
    table = Table(title="Partnerships", title_justify="left")
    table.add_column("REF", no_wrap=True, style="bold")
    table.add_column("Name")
    table.add_column("Lifecycle")
    table.add_column("Stage", no_wrap=True)
    table.add_column("Partners", justify="right")
    table.add_column("Updated (UTC)")
    for p in items:
        stage = p.stage + (f" (from {p.return_stage})" if p.return_stage else "")
        updated = p.updated_at.strftime("%Y-%m-%d %H:%M") if p.updated_at else ""
        table.add_row(escape(p.ref), escape(p.name), p.workflow, stage, str(len(p.partners)), updated)
    return table


def _section(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*[escape(x) if x is not None else "" for x in row])
    console.print(table)


def print_partnership(status: PartnershipStatus) -> None:
    """Where a partnership stands and what can happen next."""
    p = status.partnership
    signed = {s.partner_key for s in p.signoffs}
    stage = f"[bold green]{escape(p.stage)}[/]" + (f" (suspended from {escape(p.return_stage)})"
                                                    if p.return_stage else "")
    console.print(f"[bold]{escape(p.name)}[/]  [dim]{escape(p.ref)}[/]")
    console.print(f"lifecycle {escape(p.workflow)}, stage {stage}; language {p.language}, legal form {p.legal_form}")
    if p.term_start:
        console.print(f"term from {p.term_start} for {p.term_months} months, notice {p.term_notice_days} days, "
                      f"renewal {p.term_renewal}")
    console.print(f"coordinator {escape(p.coordinator_name)} <{escape(p.coordinator_email)}>")
    if status.next_checkin:
        c = status.next_checkin
        console.print(f"next check-in {c.due} ({p.checkin_cadence}; reminder {p.remind_days_before} days before, "
                      f"grace {p.grace_days} days)")
    elif p.checkin_cadence:
        console.print(f"no upcoming check-in (plan: {escape(p.checkin_cadence)} from {p.checkin_first}; "
                      "dates are planned when the framework is agreed)")
    _section("Partners", ["Key", "Name", "Kind", "Signatory", "Signed"],
             [[x.key, x.name, x.kind, f"{x.signatory_name}, {x.signatory_title}".strip(", "),
               "yes" if x.key in signed else "no"] for x in p.partners])
    _section("Mutual goals", ["Key", "Statement", "Target", "Agreed by"],
             [[g.key, g.statement, g.target_date, f"{len(g.agreed_by)}/{len(p.partners)}"
               + (f" (awaiting {', '.join(k for k in p.partner_keys if k not in g.agreed_by)})"
                  if len(g.agreed_by) < len(p.partners) else "")] for g in p.goals])
    _section("Obligations", ["Key", "Type", "Phase", "Owner", "Due", "Status"],
             [[o.key, o.type, o.phase, o.owner, o.due, o.status] for o in p.obligations])
    _section("Admissions", ["Candidate", "Status", "Approved by", "Awaiting"],
             [[a.candidate_key, a.status, ", ".join(a.approvals),
               ", ".join(k for k in p.partner_keys if k not in a.approvals) if a.status == "pending" else ""]
              for a in p.admissions])
    if status.final:
        console.print("\nThis stage is final: nothing can happen next.")
        return
    console.print("\n[bold]Next[/]")
    for check in status.checks:
        note = " (needs --reason)" if check.reason_required else ""
        if check.allowed:
            console.print(f"  [green]✓[/] {check.trigger} -> {check.dest}{note}")
        else:
            console.print(f"  [red]✗[/] {check.trigger} -> {check.dest}: blocked")
            for r in check.reasons:
                console.print(f"      - {escape(r)}")


def history_table(entries: list[AuditEntry]) -> Table:
    table = Table(title="History", title_justify="left")
    for col in ("#", "When (UTC)", "Actor", "Action", "Change", "Reason"):
        table.add_column(col)
    for e in entries:
        actor = f"{e.actor} on behalf of {e.on_behalf_of}" if e.on_behalf_of else e.actor
        table.add_row(str(e.seq), e.at[:19].replace("T", " "), escape(actor), e.action,
                      escape(describe(e)), escape(e.reason or ""))
    return table


def admissions_table(admissions: list[dict[str, Any]]) -> Table:
    """Admissions: who approved, who rejected and why, who has not answered."""
    table = Table(title="Admissions", title_justify="left")
    for col in ("Candidate", "Status", "Approved by", "Awaiting", "Rejected by", "Reason"):
        table.add_column(col)
    for a in admissions:
        table.add_row(escape(a["candidate"]), a["status"], escape(", ".join(a["approvals"])),
                      escape(", ".join(a["awaiting"])), escape(a["rejected_by"] or ""),
                      escape(a["rejection_reason"] or ""))
    return table
