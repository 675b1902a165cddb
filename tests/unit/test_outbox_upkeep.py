"""The outbox's hand-off, retry and pruning against the in-memory fakes (issue 9 §8, issue 13)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

import pytest

from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.mail import FakeMailer, MailDeliveryError
from pppflow.errors import BadInput, NotAllowed, NotFound
from pppflow.services.outbox import prune_sent, retry_messages
from pppflow.services.reminders import LEASE, queue_reminders
from scheduling import REF, morning
from test_reminder_service import LIFECYCLES, D, run, uow  # noqa: F401  the fixture


@dataclass
class LostReply:
    """A mail server that takes the message and then drops the connection before its reply."""

    attempts: list[EmailMessage] = field(default_factory=list)

    def send(self, message: EmailMessage) -> None:
        self.attempts.append(message)
        raise MailDeliveryError("could not deliver: SMTPServerDisconnected", uncertain=True)


def test_a_lost_reply_to_data_leaves_the_message_uncertain_and_it_is_not_sent_again(uow: FakeUnitOfWork) -> None:  # noqa: F811
    lost = LostReply()
    first = run(uow, lost, D(2027, 1, 8))  # type: ignore[arg-type]
    assert (first.sent, first.failed, first.uncertain) == (0, 0, 1)
    [row] = uow.outbox.list(uncertain=True)
    assert row.status == "uncertain" and row.handed_at == morning(D(2027, 1, 8))
    mailer = FakeMailer()
    later = run(uow, mailer, D(2027, 1, 9))
    assert (later.sent, mailer.sent, len(lost.attempts)) == (0, [], 1)
    retried = retry_messages([row.id], uow_factory=lambda: uow, mailer=mailer, now=morning(D(2027, 1, 9)))
    assert (retried.retried, retried.sent) == ([row.id], 1)
    assert mailer.sent[0]["Message-ID"] == lost.attempts[0]["Message-ID"]  # the same Message-ID


def test_a_sender_that_died_mid_hand_off_leaves_an_uncertain_message_after_its_lease(uow: FakeUnitOfWork) -> None:  # noqa: F811
    now = morning(D(2027, 1, 8))
    queue_reminders(D(2027, 1, 8), [REF], ("checkin",), uow_factory=lambda: uow, lifecycles=LIFECYCLES, now=now)
    [message] = uow.outbox.claim(now=now, until=now + LEASE, token="dead", limit=10)
    assert message.id is not None and uow.outbox.mark_handed(message.id, "dead", now=now)  # then the process was killed
    mailer = FakeMailer()
    during = run(uow, mailer, D(2027, 1, 8), now=now + timedelta(minutes=1))
    after = run(uow, mailer, D(2027, 1, 8), now=now + LEASE + timedelta(minutes=1))
    assert (during.uncertain, after.uncertain, mailer.sent) == (0, 1, [])
    assert [m.status for m in uow.outbox.list()] == ["uncertain"]


def test_retry_refuses_unknown_sent_or_unnamed_messages(uow: FakeUnitOfWork) -> None:  # noqa: F811
    mailer = FakeMailer()
    run(uow, mailer, D(2027, 1, 8))
    [sent] = uow.outbox.list()
    kw = {"uow_factory": lambda: uow, "mailer": mailer, "now": morning(D(2027, 1, 9))}
    with pytest.raises(NotFound, match="no message 99"):
        retry_messages([99], **kw)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed, match="only failed or uncertain"):
        retry_messages([sent.id], **kw)  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="--failed or --uncertain"):
        retry_messages([], **kw)  # type: ignore[arg-type]
    assert len(mailer.sent) == 1


def test_retry_failed_sends_a_waiting_message_now_instead_of_after_its_backoff(uow: FakeUnitOfWork) -> None:  # noqa: F811
    run(uow, FakeMailer(fail_times=1), D(2027, 1, 8))
    mailer = FakeMailer()
    r = retry_messages([], failed=True, uow_factory=lambda: uow, mailer=mailer, now=morning(D(2027, 1, 8)))
    assert (len(r.retried), r.sent, len(mailer.sent)) == (1, 1, 1)


def test_pruning_removes_old_text_and_recipients_but_a_rerun_of_that_day_sends_nothing(uow: FakeUnitOfWork) -> None:  # noqa: F811
    mailer = FakeMailer()
    run(uow, mailer, D(2027, 1, 8))
    assert prune_sent(uow_factory=lambda: uow, now=morning(D(2027, 1, 8)) + timedelta(days=399),
                      retention_days=400) == 0
    assert prune_sent(uow_factory=lambda: uow, now=morning(D(2027, 1, 8)) + timedelta(days=401),
                      retention_days=400) == 1
    [row] = uow.outbox.list()
    assert (row.message, row.recipients, row.status) == (None, [], "sent") and row.pruned_at
    again = run(uow, mailer, D(2027, 1, 8))
    assert (again.queued, again.sent, len(mailer.sent)) == ([], 0, 1)
    assert row.send_on == date(2027, 1, 8) and row.key.endswith(":checkin:reminder")
