"""The reminder jobs against the in-memory fakes: queue once, send once, retry after a backoff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.mail import FakeMailer
from pppflow.adapters.workflow_files import load_registry
from pppflow.services import partnerships
from pppflow.services.reminders import backoff, send_due_reminders, send_renewal_notices
from scheduling import AGREED_AT, COORDINATOR, REF, agreed, morning, with_report

LIFECYCLES = load_registry()
D = date


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    agreed(lambda: fake, LIFECYCLES, with_report())
    return fake


def run(uow: FakeUnitOfWork, mailer: FakeMailer, day: date, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("now", morning(day))
    return send_due_reminders(day, uow_factory=lambda: uow, mailer=mailer, lifecycles=LIFECYCLES,
                              mail_from="pppflow <noreply@pppflow.example>", **kw)


def test_a_reminder_is_queued_and_sent_once(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    first = run(uow, mailer, D(2027, 1, 8))
    assert (first.due, [q.key for q in first.queued], first.sent) == (1, [f"{REF}:2027-01-15:checkin:reminder"], 1)
    again = run(uow, mailer, D(2027, 1, 8))
    later = run(uow, mailer, D(2027, 1, 12))  # still due (until the check-in), already sent
    assert (again.due, again.queued, again.sent, later.due, later.sent) == (1, [], 0, 1, 0)
    [message] = mailer.sent
    assert message["X-Pppflow-Key"] == f"{REF}:2027-01-15:checkin:reminder"
    assert message["From"] == "pppflow <noreply@pppflow.example>"
    [row] = uow.outbox.list()
    assert (row.status, row.sent_at, row.attempts) == ("sent", morning(D(2027, 1, 8)), 0)


def test_a_failed_send_waits_for_its_backoff_and_is_sent_once(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer(fail_times=2)
    down = run(uow, mailer, D(2027, 1, 8))
    assert (down.sent, down.failed, down.waiting) == (0, 1, 1)
    [row] = uow.outbox.list(failed=True)
    assert row.attempts == 1 and "simulated outage" in (row.last_error or "")
    assert row.next_attempt_at == morning(D(2027, 1, 8)) + timedelta(minutes=5)
    early = run(uow, mailer, D(2027, 1, 8), now=morning(D(2027, 1, 8)) + timedelta(minutes=4))
    assert (early.sent, early.failed, mailer.attempts) == (0, 0, 1)
    second = run(uow, mailer, D(2027, 1, 8), now=morning(D(2027, 1, 8)) + timedelta(minutes=6))
    assert (second.failed, uow.outbox.list()[0].next_attempt_at) == (1, morning(D(2027, 1, 8)) + timedelta(minutes=16))
    back = run(uow, mailer, D(2027, 1, 9))
    assert (back.sent, back.waiting, len(mailer.sent), mailer.attempts) == (1, 0, 1, 3)
    assert uow.outbox.list(failed=True) == []


def test_backoff_doubles_up_to_twelve_hours() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert backoff(20) == timedelta(hours=12)


def test_a_dry_run_writes_and_sends_nothing(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    dry = run(uow, mailer, D(2027, 1, 19), dry_run=True)
    assert [q.step for q in dry.queued] == ["escalation"] and dry.missed == 0
    assert (mailer.attempts, uow.outbox.list(), uow.checkins.list(REF)[0].status) == (0, [], "scheduled")
    real = run(uow, mailer, D(2027, 1, 19))
    assert ([q.step for q in real.queued], real.missed, real.sent) == (["escalation"], 1, 1)
    assert [r["email"] for r in uow.outbox.list()[0].recipients] == [COORDINATOR]


def test_obligations_are_reminded_to_their_owner(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    result = run(uow, mailer, D(2027, 3, 24))  # (the jump there catches up on steering mails too)
    assert [q.key for q in result.queued if q.kind == "obligation"] == [f"{REF}:report@2027-03-31:obligation:due_soon"]
    [mail] = [m for m in mailer.sent if "obligation" in m["X-Pppflow-Key"]]
    assert [a.addr_spec for a in mail["To"].addresses] == ["e.mulder@hanze.example"]


def test_renewal_notices_are_a_job_of_their_own(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    assert {q.kind for q in run(uow, mailer, D(2029, 9, 26)).queued} == {"checkin", "obligation"}
    notice = send_renewal_notices(D(2029, 9, 26), uow_factory=lambda: uow, mailer=mailer, lifecycles=LIFECYCLES,
                                  now=morning(D(2029, 9, 26)))
    assert [q.key for q in notice.queued] == [f"{REF}:term-2030-01-01:renewal:notice"] and notice.sent == 1


def test_suspended_and_terminated_partnerships_get_no_reminders(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    partnerships.advance(REF, "suspend", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT, reason="budget")
    assert run(uow, mailer, D(2027, 1, 8)).due == 0
    partnerships.advance(REF, "resume", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT)
    assert run(uow, mailer, D(2027, 1, 8), dry_run=True).due == 1
    partnerships.advance(REF, "terminate", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT, reason="end")
    assert run(uow, mailer, D(2027, 1, 8)).due == 0 and mailer.sent == []


def test_a_message_that_cannot_be_composed_is_kept_as_failed_and_never_retried(uow: FakeUnitOfWork) -> None:
    uow.partnerships.get(REF).coordinator_email = "not-an-address"
    mailer = FakeMailer()
    result = run(uow, mailer, D(2027, 1, 19))
    assert (result.sent, result.failed, mailer.attempts) == (0, 0, 0)
    [row] = uow.outbox.list(failed=True)
    assert (row.status, row.last_error) == ("failed", "not a usable e-mail address: 'not-an-address'")
    assert run(uow, mailer, D(2027, 1, 20)).sent == 0 and mailer.attempts == 0


def test_the_mail_is_composed_in_the_partnerships_language(uow: FakeUnitOfWork) -> None:
    mailer = FakeMailer()
    run(uow, mailer, D(2027, 1, 8))  # the example partnership's language is nl
    uow.partnerships.get(REF).language = "en"
    run(uow, mailer, D(2027, 1, 19))
    reminder, escalation = mailer.sent
    assert reminder["Subject"] == "[pppflow] Herinnering: voortgangsgesprek op 15 januari 2027 — Smart Industry " \
                                  "Technician Pact"
    assert "vrijdag 15 januari 2027" in reminder.get_body(("plain",)).get_content()
    assert escalation["Subject"].startswith("[pppflow] Check-in of 15 January 2027 not held")
    # composed when queued: the outbox row keeps the language the message was queued in
    assert [row.subject for row in uow.outbox.list()] == [escalation["Subject"], reminder["Subject"]]
