"""The daily digest: when something awaits a partner, its contact gets one mail that day through the outbox.

The outbox key is per partner, contact address and day, inserted before anything is sent, so a rerun of the day
(or two workers at once) queues nothing more. The mail is in the language of the partner's first partnership
with something waiting (by reference), its links start at the public base URL (`PPPFLOW_BASE_URL`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.mail import Mailer
from pppflow.adapters.mail.compose import message_id
from pppflow.adapters.mail.digest import compose_digest
from pppflow.adapters.mail.outbox import OutboxMessage
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.asks import Ask, asks_in
from pppflow.domain.reminders import Recipient

if TYPE_CHECKING:
    from pppflow.services.reminder_day import StepRunner

DIGEST_KIND = "digest"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
ALL = 1_000_000


@dataclass
class _Contact:
    partner: str
    partner_name: str
    name: str
    email: str
    language: str
    ref: str
    asks: list[Ask] = field(default_factory=list)


def digest_key(partner: str, email: str, day: date) -> str:
    """The outbox key: one digest per partner contact and day."""
    return f"{DIGEST_KIND}:{partner}:{email.strip().lower()}:{day.isoformat()}"


def queue_partner_digests(as_of: date, *, uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry,
                          now: datetime, base_url: str = DEFAULT_BASE_URL,
                          mail_from: str = "pppflow@localhost") -> list[str]:
    """Queue today's digest for every partner contact something awaits; returns the keys this call queued."""
    with uow_factory() as uow:
        summaries, _ = uow.portfolio.search(stage=None, workflow=None, text=None, party=None, limit=ALL, offset=0)
        contacts: dict[tuple[str, str], _Contact] = {}
        for s in sorted(summaries, key=lambda x: x.ref):
            if lifecycles.get(s.workflow).is_final(s.stage):
                continue
            p = uow.partnerships.read(s.ref)
            checkins = uow.checkins.list(s.ref, open_only=True)
            for x in p.partners:
                asks = list(asks_in(p, x.key, checkins, as_of)) if x.contact_email else []
                if asks:
                    c = contacts.setdefault((x.key, x.contact_email.strip().lower()), _Contact(
                        x.key, x.name, x.contact_name, x.contact_email.strip(), p.language, p.ref))
                    c.asks += asks
        keys = {digest_key(c.partner, c.email, as_of): c for c in contacts.values()}
        known = uow.outbox.existing(list(keys))
        rows = [_message(k, c, as_of=as_of, now=now, base_url=base_url.rstrip("/"), mail_from=mail_from)
                for k, c in keys.items() if k not in known]
        inserted = uow.outbox.add(rows) if rows else []
        uow.commit()
    return list(inserted)


def _message(key: str, c: _Contact, *, as_of: date, now: datetime, base_url: str, mail_from: str) -> OutboxMessage:
    to = Recipient(c.name, c.email, "to")
    mail = compose_digest(key, c.asks, partner=c.partner_name, to=to, base_url=base_url, mail_from=mail_from, now=now,
                          language=c.language)
    return OutboxMessage(key=key, partnership_ref=c.ref, kind=DIGEST_KIND, step="daily", about=c.partner[:200],
                         send_on=as_of, recipients=[{"name": c.name, "email": c.email, "role": "to"}],
                         subject=str(mail["Subject"]), message_id=message_id(key, mail_from),
                         message=mail.as_string(policy=mail.policy.clone(max_line_length=None)), created_at=now)


@dataclass(frozen=True)
class DigestRun:
    """What one day's digest run queued and delivered."""

    as_of: date
    queued: tuple[str, ...]
    sent: int
    failed: int


def queue_digests(as_of: date, *, uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry,
                  now: datetime, base_url: str = DEFAULT_BASE_URL, mail_from: str = "pppflow@localhost") -> list[str]:
    """The day's step that queues the digests (see `queue_partner_digests`)."""
    return queue_partner_digests(as_of, uow_factory=uow_factory, lifecycles=lifecycles, now=now, base_url=base_url,
                                 mail_from=mail_from)


def send_partner_digests(as_of: date, *, uow_factory: Callable[[], UnitOfWork], mailer: Mailer, now: datetime,
                         lifecycles: LifecycleRegistry, base_url: str = DEFAULT_BASE_URL,
                         mail_from: str = "pppflow@localhost", dry_run: bool = False, batch_size: int = 200,
                         run_step: StepRunner | None = None) -> DigestRun:
    """The daily reminder job's digest step: queue today's digests, then deliver the pending ones (each step
    through `run_step`, a plain call by default)."""
    if dry_run:
        return DigestRun(as_of, (), 0, 0)
    from pppflow.services.reminder_day import call, deliver_all

    run_step = run_step or call
    queued = run_step(queue_digests, as_of, uow_factory=uow_factory, lifecycles=lifecycles, now=now,
                      base_url=base_url, mail_from=mail_from)
    d = deliver_all((DIGEST_KIND,), batch_size, uow_factory=uow_factory, mailer=mailer, now=now, run_step=run_step)
    return DigestRun(as_of, tuple(queued), d.sent, d.failed)
