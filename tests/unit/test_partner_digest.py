"""The daily digest: one mail per partner contact and day, whatever awaits it; a rerun sends none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import policy
from email.parser import Parser

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.mail.transport import FakeMailer
from pppflow.adapters.workflow_files import load_registry
from pppflow.services import changes, partnerships
from pppflow.services.asks import asked_of, counts
from pppflow.services.digest import send_partner_digests

LIFECYCLES = load_registry()
DAY = date(2026, 11, 24)
AT = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
BASE = "https://pact.example.org"


def _world(language: str = "nl") -> tuple[FakeUnitOfWork, str]:
    uow = FakeUnitOfWork()
    raw = example_raw()
    raw["language"] = language
    ref = partnerships.import_partnership(raw, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).ref
    return uow, ref


def _send(uow: FakeUnitOfWork, mailer: FakeMailer, day: date = DAY) -> list[str]:
    run = send_partner_digests(day, uow_factory=lambda: uow, mailer=mailer, now=AT, lifecycles=LIFECYCLES,
                               base_url=BASE, mail_from="pppflow@pact.example")
    return list(run.queued)


def _to_hanze(mailer: FakeMailer) -> list[str]:
    return [m.as_string() for m in mailer.sent if "e.mulder@hanze.example" in str(m["To"])]


def test_two_things_awaiting_one_partner_give_one_mail_and_a_rerun_none() -> None:
    uow, ref = _world()
    # two goals await hanze's agreement: two events, one partner, one day
    assert counts(asked_of("hanze", uow=uow, lifecycles=LIFECYCLES, as_of=DAY))["goal"] == 2
    mailer = FakeMailer()
    queued = _send(uow, mailer)
    assert "digest:hanze:e.mulder@hanze.example:2026-11-24" in queued
    [mail] = _to_hanze(mailer)
    text = Parser(policy=policy.default).parsestr(mail).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Instemmen met het doel 'modules'" in text and "Instemmen met het doel 'lifelong'" in text  # Dutch
    assert f"{BASE}/partnerships/{ref}#goal-modules" in text and f"{BASE}/asked" in text
    assert "2 punten wachten op Hanze University of Applied Sciences" in mail
    # a rerun of the day queues and sends nothing
    again = FakeMailer()
    assert _send(uow, again) == [] and again.sent == []
    # the next day it is sent again, because the goals still await
    assert len(_to_hanze(_outbox_next_day(uow))) == 1


def _outbox_next_day(uow: FakeUnitOfWork) -> FakeMailer:
    mailer = FakeMailer()
    _send(uow, mailer, date(2026, 11, 25))
    return mailer


def test_nothing_awaiting_means_no_mail_and_english_by_default() -> None:
    uow, ref = _world("en")
    for goal in ("modules", "lifelong"):
        changes.agree_goal(ref, goal, "hanze", uow=uow, actor="m", now=NOW)
    mailer = FakeMailer()
    _send(uow, mailer)
    assert _to_hanze(mailer) == []  # hanze agreed everything asked of it
    [mail] = [m for m in mailer.sent if "p.devries@noorderpoort.example" in str(m["To"])]
    assert mail["Subject"] == "[pppflow] 2 things await Noorderpoort College"
    assert "Agree the goal 'modules'" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
