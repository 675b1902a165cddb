"""Recorded changes: `goal agree|withdraw`, `obligation set-status`, `signoff record`,
`partner admit|approve|reject|list`. The operator of the CLI acts on behalf of the partner it names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, read_document
from pppflow.cli.output import console, escape, print_json, print_read

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

    w = bootstrap.wiring()
    p = agree_goal(ref, goal, partner, uow=w.uow(), actor=actor_name(actor), now=w.now(), on_behalf_of=partner)
    g = p.goal(goal)
    waiting = [k for k in p.partner_keys if k not in g.agreed_by]
    if json_:
        from pppflow.services.read_models.partnership import GoalAgreedRead
        from pppflow.services.views import goal_agreed_view

        print_read(GoalAgreedRead, goal_agreed_view(ref, p, goal))
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

    p = set_obligation_status(ref, key, status, uow=bootstrap.wiring().uow(), actor=actor_name(actor),
                              now=bootstrap.wiring().now(), evidence=evidence, reason=reason)
    o = p.obligation(key)
    if json_:
        from pppflow.services.read_models.partnership import ObligationStatusRead
        from pppflow.services.views import obligation_status_view

        print_read(ObligationStatusRead, obligation_status_view(ref, p, key))
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

    d = sign_agreement(ref, None, partner, name, uow_factory=bootstrap.wiring().uow_factory,
                       renderer=bootstrap.wiring().renderer, store=bootstrap.wiring().store,
                       actor=actor_name(actor), now=bootstrap.wiring().now(), title=title)
    if json_:
        from pppflow.services.agreement_views import detail_view
        from pppflow.services.read_models.agreements import SignedRead

        print_read(SignedRead, {"ref": ref, "partner": partner, **detail_view(d)})
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

    w = bootstrap.wiring()
    a = request_admission(ref, read_document(file), uow=w.uow(), lifecycles=w.lifecycles, actor=actor_name(actor),
                          now=w.now())
    if json_:
        from pppflow.services.changes import admissions
        from pppflow.services.read_models.admissions import AdmissionRead
        from pppflow.services.views import admission_view

        p = admissions(ref, uow=bootstrap.wiring().uow())
        print_read(AdmissionRead, admission_view(p, next(x for x in reversed(p.admissions)
                                                         if x.candidate_key == a.candidate_key)))
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

    admitted, waiting = approve_admission(ref, new, by, uow=bootstrap.wiring().uow(), actor=actor_name(actor),
                                          now=bootstrap.wiring().now(), on_behalf_of=by)
    if json_:
        from pppflow.services.read_models.admissions import ApprovalRead

        print_read(ApprovalRead, {"ref": ref, "candidate": new, "by": by, "admitted": admitted, "awaiting": waiting})
    elif admitted:
        console.print(f"{escape(new)} approved by every partner and admitted to {escape(ref)}")
    else:
        console.print(f"approved by {escape(by)}; awaiting {escape(', '.join(waiting))}")


@goal_app.command("withdraw")
def withdraw(ref: Ref, goal: Annotated[str, typer.Argument(help="The goal's key.")],
             partner: Annotated[str, typer.Option("--partner", help="The partner that withdraws its agreement.")],
             comment: Annotated[str, typer.Option("--comment", help="Why (required; recorded in the history).")],
             actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Withdraw a partner's agreement to a goal; after the framework was agreed it becomes an amendment proposal."""
    from pppflow import bootstrap
    from pppflow.domain.consensus import operator
    from pppflow.services.consensus import withdraw_goal

    outcome, agreed = withdraw_goal(ref, goal, operator(actor_name(actor), partner), comment,
                                    uow=bootstrap.wiring().uow(), lifecycles=bootstrap.wiring().lifecycles,
                                    now=bootstrap.wiring().now())
    if json_:
        from pppflow.services.read_models.partnership import GoalWithdrawalRead

        print_read(GoalWithdrawalRead, {"ref": ref, "goal": goal, "partner": partner, "outcome": outcome,
                                        "agreed_by": agreed})
    elif outcome == "withdrawn":
        console.print(f"goal {escape(goal)}: {escape(partner)} withdrew its agreement")
    else:
        console.print(f"goal {escape(goal)}: the framework is agreed, so {escape(partner)}'s withdrawal is recorded "
                      "as an amendment proposal for the coordinator; its agreement stands until the goal is amended")


@partner_app.command("reject")
def reject(ref: Ref, candidate: Annotated[str, typer.Argument(help="The candidate partner's key.")],
           by: Annotated[str, typer.Option("--by", help="The rejecting (existing) partner.")],
           reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record an existing partner's rejection: one rejection rejects the admission."""
    from pppflow import bootstrap
    from pppflow.domain.consensus import operator
    from pppflow.services.consensus import reject_admission

    a = reject_admission(ref, candidate, operator(actor_name(actor), by), reason, uow=bootstrap.wiring().uow(),
                         now=bootstrap.wiring().now())
    if json_:
        from pppflow.services.read_models.admissions import RejectionRead

        print_read(RejectionRead, {"ref": ref, "candidate": candidate, "by": by, "status": a.status,
                                   "reason": a.rejection_reason})
    else:
        console.print(f"the admission of {escape(candidate)} is rejected by {escape(by)}: {escape(reason.strip())}")


@partner_app.command("list")
def list_partners(ref: Ref, json_: JsonOption = False) -> None:
    """The partners, and pending and decided admissions with who has answered."""
    from pppflow import bootstrap
    from pppflow.cli.tables import admissions_table
    from pppflow.services.consensus import partners_overview

    data = partners_overview(ref, uow=bootstrap.wiring().uow())
    if json_:
        print_json(data)
        return
    for x in data["partners"]:
        console.print(f"{escape(x['key'])}  {escape(x['name'])} ({x['kind']})")
    if data["admissions"]:
        console.print(admissions_table(data["admissions"]))
