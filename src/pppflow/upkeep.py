"""The daily upkeep that `pppflow remind`, `audit checkpoint` and the reminder flow share, on a `Wiring`:
prune sent mail past its retention, and sign the day's checkpoint of the audit chain."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pppflow.domain.audit_checkpoint import Checkpoint
    from pppflow.wiring import Wiring


def prune_outbox(w: Wiring) -> int:
    """Remove text and recipients of mail sent more than PPPFLOW_OUTBOX_RETENTION_DAYS ago; returns how many."""
    from pppflow.services.outbox import prune_sent

    return prune_sent(uow_factory=w.uow_factory, now=w.now(), retention_days=w.settings.outbox_retention_days)


def write_audit_checkpoint(w: Wiring) -> Checkpoint:
    """Sign the chain's last entry, log it, and mail it to PPPFLOW_AUDIT_CHECKPOINT_TO when set."""
    from pppflow.services.audit import write_checkpoint

    return write_checkpoint(uow_factory=w.uow_factory, store=w.checkpoints, now=w.now(), mailer=w.mailer,
                            mail_to=w.settings.audit_checkpoint_to, mail_from=w.mail_from)


def daily_audit_checkpoint(w: Wiring) -> dict[str, object]:
    """The daily job's checkpoint: `{ok, seq}`, or `{ok: false, problem}` when the trail does not verify."""
    from pppflow.errors import PppflowError

    try:
        c = write_audit_checkpoint(w)
    except PppflowError as exc:
        return {"ok": False, "problem": exc.message}
    return {"ok": True, "seq": c.seq}
