"""Recorded changes: `goal agree`, `obligation set-status`, `signoff record`, `partner admit|approve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, read_document
from pppflow.cli.output import console, escape, print_json

goal_app = typer.Typer(no_args_is_help=True, help="Mutual goals.")
obligation_app = typer.Typer(no_args_is_help=True, help="Result and effort obligations.")
signoff_app = typer.Typer(no_args_is_help=True, help="Signatures on the agreement.")
partner_app = typer.Typer(no_args_is_help=True, help="Admitting new partners (by consensus).")

Ref = Annotated[str, typer.Argument(help="The partnership's reference (REF).")]


@goal_app.command("agree")
def agree(ref: Ref, goal: Annotated[str, typer.Argument(help="The goal's key.")],
          partner: Annotated[str, typer.Option("--partner", help="The partner that agrees.")],
          actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record that a partner agrees to a mutual goal."""
    from pppflow import bootstrap
    from pppflow.services.changes import agree_goal

    p = agree_goal(ref, goal, partner, uow=bootstrap.unit_of_work(), actor=actor_name(actor), now=bootstrap.utcnow())
    g = p.goal(goal)
    waiting = [k for k in p.partner_keys if k not in g.agreed_by]
    if json_:
        print_json({"ref": ref, "goal": goal, "agreed_by": g.agreed_by, "awaiting": waiting})
    else:
        console.print(f"goal {escape(goal)}: agreed by {escape(partner)}; "
                      + (f"awaiting {escape(', '.join(waiting))}" if waiting else "agreed by every partner"))


@obligation_app.command("set-status")
def set_status(ref: Ref, key: Annotated[str, typer.Argument(help="The obligation's key.")],
               status: Annotated[str, typer.Argument(help="pending, fulfilled, accepted, waived or breached")],
               evidence: Annotated[str | None, typer.Option("--evidence", help="What shows it.")] = None,
               reason: Annotated[str | None, typer.Option("--reason")] = None,
               actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Change an obligation's status (e.g. a result accepted against its criteria)."""
    from pppflow import bootstrap
    from pppflow.services.changes import set_obligation_status

    p = set_obligation_status(ref, key, status, uow=bootstrap.unit_of_work(), actor=actor_name(actor),
                              now=bootstrap.utcnow(), evidence=evidence, reason=reason)
    o = p.obligation(key)
    if json_:
        print_json({"ref": ref, "obligation": key, "status": o.status, "evidence": o.evidence})
    else:
        console.print(f"obligation {escape(key)} is now [bold]{o.status}[/]")


@signoff_app.command("record")
def record(ref: Ref, partner: Annotated[str, typer.Option("--partner", help="The signing partner's key.")],
           name: Annotated[str, typer.Option("--name", help="The signatory's name.")],
           title: Annotated[str | None, typer.Option("--title")] = None,
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record a signature on the newest agreement version awaiting signatures (see `agreement sign`)."""
    from pppflow import bootstrap
    from pppflow.services.agreements import sign_agreement

    d = sign_agreement(ref, None, partner, name, uow_factory=bootstrap.unit_of_work,
                       renderer=bootstrap.agreement_renderer(), store=bootstrap.document_store(),
                       actor=actor_name(actor), now=bootstrap.utcnow(), title=title)
    if json_:
        print_json({"ref": ref, "partner": partner, "version": d.version.number, "status": d.version.status,
                    "unsigned": d.unsigned})
    else:
        console.print(f"{escape(partner)}: signed version {d.version.number} by {escape(name)}; "
                      + (f"awaiting {escape(', '.join(d.unsigned))}" if d.unsigned else "signed by every partner"))


@partner_app.command("admit")
def admit(ref: Ref, file: Annotated[Path, typer.Argument(help="The new partner in the spec's partner format, "
                                                                  "plus an optional `responsibility`.")],
          actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Propose a new partner; it joins when every existing partner has approved."""
    from pppflow import bootstrap
    from pppflow.services.changes import request_admission

    a = request_admission(ref, read_document(file), uow=bootstrap.unit_of_work(), lifecycles=bootstrap.lifecycles(),
                          actor=actor_name(actor), now=bootstrap.utcnow())
    if json_:
        print_json({"ref": ref, "candidate": a.candidate_key, "status": a.status})
    else:
        console.print(f"admission of {escape(a.candidate_key)} requested; every partner must approve with "
                      f"`pppflow partner approve {escape(ref)} {escape(a.candidate_key)} --by PARTNER`")


@partner_app.command("approve")
def approve(ref: Ref, new: Annotated[str, typer.Argument(help="The candidate partner's key.")],
            by: Annotated[str, typer.Option("--by", help="The approving (existing) partner.")],
            actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record an existing partner's approval of a candidate."""
    from pppflow import bootstrap
    from pppflow.services.changes import approve_admission

    admitted, waiting = approve_admission(ref, new, by, uow=bootstrap.unit_of_work(), actor=actor_name(actor),
                                          now=bootstrap.utcnow())
    if json_:
        print_json({"ref": ref, "candidate": new, "admitted": admitted, "awaiting": waiting})
    elif admitted:
        console.print(f"{escape(new)} approved by every partner and admitted to {escape(ref)}")
    else:
        console.print(f"approved by {escape(by)}; awaiting {escape(', '.join(waiting))}")
