from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from pppflow.domain.checkins.schedule import expand_checkin_dates
from pppflow.domain.model import Obligation, Partner, Partnership
from pppflow.domain.reminders import (
    STEERING_CATCH_UP_DAYS,
    CheckinItem,
    ObligationItem,
    PartnerContact,
    PartnershipReminderView,
    Recipient,
    ReminderDue,
    candidate_window,
    checkin_reminder,
    reminder_view,
    reminders_due,
    renewal_notice,
)
from scheduling import first_five_months

D = date
REF = "SIP-2027-001"
COORDINATOR = Recipient("Marieke Jansen", "m.jansen@smartindustrypact.example", "coordinator")
PARTNERS = (
    PartnerContact("noorderpoort", "Pieter de Vries", "p.devries@noorderpoort.example", "Anja Bakker"),
    PartnerContact("hanze", "Erik Mulder", "e.mulder@hanze.example", "Henk Visser"),
    PartnerContact("techbedrijf", "Sanne Smit", "s.smit@techbedrijf.example", "Joost Meijer"),
    PartnerContact("provincie", "Lotte de Boer", "l.deboer@provincie.example", "Rob Hoekstra"),
)
HELD = {D(2027, 1, 15): D(2027, 1, 15),   # on the day
        D(2027, 2, 15): D(2027, 2, 18),   # on the last day of grace: no escalation
        D(2027, 3, 15): D(2027, 3, 20),   # after the escalation, before the steering step
        D(2027, 5, 15): D(2027, 5, 15)}   # April 15 is never held


def pact(**changes: object) -> PartnershipReminderView:
    """The Smart Industry Technician Pact of the example spec, with a report due inside the walk."""
    dates = expand_checkin_dates("monthly", D(2027, 1, 15), D(2027, 1, 1), 36)
    view = PartnershipReminderView(
        ref=REF, name="Smart Industry Technician Pact",
        coordinator_name=COORDINATOR.name, coordinator_email=COORDINATOR.email,
        partners=PARTNERS,
        checkins=tuple(CheckinItem(d, HELD.get(d)) for d in dates),
        obligations=(
            ObligationItem("modules-delivered", "Develop and deliver three smart-industry modules",
                           "noorderpoort", D(2027, 9, 1), "pending", "result"),
            ObligationItem("assignments", "Provide innovation assignments", "techbedrijf", None, "pending",
                           "effort"),
            ObligationItem("report", "Deliver the research plan", "hanze", D(2027, 3, 31), "pending", "result"),
            ObligationItem("lab", "Install the robot cells", "techbedrijf", D(2027, 4, 30), "fulfilled",
                           "result"),
        ),
        remind_days_before=7, grace_days=3, term_start=D(2027, 1, 1), term_months=36, notice_days=90,
        renewal="manual")
    return dataclasses.replace(view, **changes)  # type: ignore[arg-type]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def walk(view: PartnershipReminderView, start: date, end: date) -> dict[str, tuple[date, ReminderDue]]:
    """Run the rules every day like the scheduler would, with an outbox that sends each key once."""
    outbox: dict[str, tuple[date, ReminderDue]] = {}
    for as_of in days(start, end):
        for reminder in reminders_due(view, as_of):
            outbox.setdefault(reminder.key, (as_of, reminder))
    return outbox


def test_walking_five_months_day_by_day_sends_exactly_these_messages_on_these_days() -> None:
    sent = walk(pact(), D(2027, 1, 1), D(2027, 5, 31))
    assert {key: day for key, (day, _) in sent.items()} == first_five_months(REF)
    # Every message went out on its own send_on day, as nothing was down.
    assert all(day == reminder.send_on for day, reminder in sent.values())


def test_who_receives_each_step() -> None:
    sent = walk(pact(), D(2027, 4, 1), D(2027, 4, 30))
    contacts = {(p.contact_name, p.contact_email) for p in PARTNERS}

    reminder = sent[f"{REF}:2027-04-15:checkin:reminder"][1]
    assert {(r.name, r.email) for r in reminder.recipients if r.role == "contact"} == contacts
    assert [r for r in reminder.recipients if r.role == "coordinator"] == [COORDINATOR]
    assert len(reminder.recipients) == 5

    assert sent[f"{REF}:2027-04-15:checkin:escalation"][1].recipients == (COORDINATOR,)

    steering = sent[f"{REF}:2027-04-15:checkin:steering"][1].recipients
    assert [(r.email, r.role, r.on_behalf_of) for r in steering] == [
        ("p.devries@noorderpoort.example", "steering", "Anja Bakker"),
        ("e.mulder@hanze.example", "steering", "Henk Visser"),
        ("s.smit@techbedrijf.example", "steering", "Joost Meijer"),
        ("l.deboer@provincie.example", "steering", "Rob Hoekstra"),
        (COORDINATOR.email, "cc", ""),
    ]

    overdue = sent[f"{REF}:report@2027-03-31:obligation:overdue"][1]
    assert [(r.email, r.role) for r in overdue.recipients] == [
        ("e.mulder@hanze.example", "owner"), (COORDINATOR.email, "coordinator")]
    assert overdue.context["due"] == "2027-03-31"


def test_obligation_due_soon_goes_to_the_owner_only_and_stops_on_the_due_date() -> None:
    view = pact()
    def modules(as_of: date) -> list[ReminderDue]:
        return [r for r in reminders_due(view, as_of) if r.subject.startswith("modules-delivered@")]
    assert modules(D(2027, 8, 24)) == []
    for as_of in days(D(2027, 8, 25), D(2027, 9, 1)):
        [due_soon] = modules(as_of)
        assert due_soon.step == "due_soon"
        assert [r.email for r in due_soon.recipients] == ["p.devries@noorderpoort.example"]
    [overdue] = modules(D(2027, 9, 2))
    assert overdue.key == f"{REF}:modules-delivered@2027-09-01:obligation:overdue"


@pytest.mark.parametrize(("status", "steps"), [
    ("pending", ["due_soon", "overdue"]), ("breached", ["overdue"]), ("fulfilled", []), ("accepted", []),
    ("waived", []),
])
def test_obligation_messages_depend_on_its_status(status: str, steps: list[str]) -> None:
    view = pact(obligations=(ObligationItem("report", "Plan", "hanze", D(2027, 3, 31), status, "result"),))
    sent = walk(view, D(2027, 3, 1), D(2027, 4, 30))
    assert sorted(r.step for _, r in sent.values() if r.kind == "obligation") == steps


def test_moving_a_due_date_makes_its_reminders_due_again_under_a_new_key() -> None:
    moved = pact(obligations=(ObligationItem("report", "Plan", "hanze", D(2027, 6, 30), "pending", "result"),))
    [due_soon] = [r for r in reminders_due(moved, D(2027, 6, 23)) if r.kind == "obligation"]
    assert due_soon.key == f"{REF}:report@2027-06-30:obligation:due_soon"


def test_a_checkin_held_before_its_escalation_date_is_never_escalated() -> None:
    sent = walk(pact(), D(2027, 2, 1), D(2027, 3, 31))
    assert f"{REF}:2027-02-15:checkin:escalation" not in sent
    assert f"{REF}:2027-03-15:checkin:steering" not in sent


def test_the_escalation_is_due_until_the_steering_step_takes_over() -> None:
    view = pact()
    def steps(as_of: date) -> list[str]:
        return [r.step for r in reminders_due(view, as_of) if r.subject == "2027-04-15"]
    assert steps(D(2027, 4, 18)) == []
    assert steps(D(2027, 4, 19)) == steps(D(2027, 4, 21)) == ["escalation"]
    assert steps(D(2027, 4, 22)) == ["steering"]
    assert steps(D(2027, 4, 22) + timedelta(days=STEERING_CATCH_UP_DAYS)) == ["steering"]
    assert steps(D(2027, 4, 23) + timedelta(days=STEERING_CATCH_UP_DAYS)) == []


def test_catch_up_after_downtime_sends_what_is_still_relevant() -> None:
    view = pact(obligations=())
    # Down from 7 to 12 January: the reminder of 8 January still goes out on the 13th...
    assert [r.key for r in reminders_due(view, D(2027, 1, 13))] == [f"{REF}:2027-01-15:checkin:reminder"]
    # ...but not once the check-in date has passed.
    assert reminders_due(view, D(2027, 1, 16)) == []
    # Down over the escalation day of 15 April: the escalation goes out late on the 21st.
    assert [r.step for r in reminders_due(view, D(2027, 4, 21))] == ["escalation"]
    # Down through the steering day too: only the steering mail (coordinator in cc) goes out.
    assert [r.step for r in reminders_due(view, D(2027, 4, 25))] == ["steering"]


def test_with_no_grace_the_escalation_and_the_steering_mail_go_out_the_day_after() -> None:
    view = pact(grace_days=0, checkins=(CheckinItem(D(2027, 4, 15)),), obligations=())
    assert [r.step for r in reminders_due(view, D(2027, 4, 15))] == ["reminder"]
    assert sorted(r.step for r in reminders_due(view, D(2027, 4, 16))) == ["escalation", "steering"]
    assert [r.step for r in reminders_due(view, D(2027, 4, 17))] == ["steering"]


def test_a_checkin_held_early_stops_its_reminder() -> None:
    view = pact(checkins=(CheckinItem(D(2027, 4, 15), D(2027, 4, 10)),), obligations=())
    assert [r.step for r in reminders_due(view, D(2027, 4, 9))] == ["reminder"]
    assert reminders_due(view, D(2027, 4, 10)) == []


@pytest.mark.parametrize(("renewal", "last_due"), [("manual", D(2029, 12, 31)), ("automatic", D(2029, 10, 3))])
def test_renewal_notice_goes_out_a_reminder_period_before_the_notice_deadline(renewal: str,
                                                                            last_due: date) -> None:
    view = pact(renewal=renewal, checkins=(), obligations=())
    assert renewal_notice(view, D(2029, 9, 25)) is None
    notice = renewal_notice(view, D(2029, 9, 26))
    assert notice is not None
    assert notice.key == f"{REF}:term-2030-01-01:renewal:notice"
    assert notice.send_on == D(2029, 9, 26)
    assert notice.context["notice_deadline"] == "2029-10-03"  # 90 days before 1 January 2030
    assert notice.context["renewal"] == renewal
    assert notice.recipients[0] == COORDINATOR
    assert [r.on_behalf_of for r in notice.recipients[1:]] == [p.signatory_name for p in PARTNERS]
    assert renewal_notice(view, last_due) is not None
    assert renewal_notice(view, last_due + timedelta(days=1)) is None


def test_signatory_email_is_used_when_known_and_addresses_are_not_repeated() -> None:
    partners = (
        PartnerContact("noorderpoort", "Pieter", "p@noorderpoort.example", "Anja", "anja@noorderpoort.example"),
        PartnerContact("hanze", "Marieke", COORDINATOR.email.upper(), "Henk"),  # the coordinator is a contact
        PartnerContact("techbedrijf", "Sanne", "", "Joost"),  # no address: nobody to write to
    )
    view = pact(partners=partners, checkins=(CheckinItem(D(2027, 4, 15)),), obligations=())
    [steering] = reminders_due(view, D(2027, 4, 22))
    assert [(r.email, r.role) for r in steering.recipients] == [
        ("anja@noorderpoort.example", "signatory"), (COORDINATOR.email.upper(), "steering")]
    [reminder] = reminders_due(view, D(2027, 4, 8))
    assert [r.email for r in reminder.recipients] == ["p@noorderpoort.example", COORDINATOR.email.upper()]


def test_candidate_window_holds_every_checkin_that_produces_a_message() -> None:
    for grace in (0, 1, 3, 10):
        view = pact(grace_days=grace, obligations=(), term_start=None)
        for as_of in days(D(2027, 1, 1), D(2027, 8, 31)):
            low, high = candidate_window(as_of, view.remind_days_before, grace)
            for reminder in reminders_due(view, as_of):
                assert low <= D.fromisoformat(reminder.subject) <= high, (grace, as_of, reminder.key)


def test_rules_accept_plain_tuples() -> None:
    view = pact(checkins=((D(2027, 4, 15), None),), obligations=())
    assert checkin_reminder(view, (D(2027, 4, 15), None), D(2027, 4, 8)) is not None
    assert [r.key for r in reminders_due(view, D(2027, 4, 8))] == [f"{REF}:2027-04-15:checkin:reminder"]


def test_reminder_view_of_a_loaded_partnership() -> None:
    partnership = Partnership(
        ref=REF, name="Pact", coordinator_name="Marieke", coordinator_email="m@pact.example",
        term_start=D(2027, 1, 1), term_months=12, term_notice_days=60, term_renewal="automatic",
        partners=[Partner("hanze", "Hanze", "knowledge_institution", "Erik", "e@hanze.example", "Henk", "Dean")],
        obligations=[Obligation("report", "Plan", "hanze", "result", "investment", due=D(2027, 3, 31))])
    view = reminder_view(partnership, [(D(2027, 1, 15), None)])
    assert view.partners == (PartnerContact("hanze", "Erik", "e@hanze.example", "Henk"),)
    assert view.obligations == (ObligationItem("report", "Plan", "hanze", D(2027, 3, 31), "pending", "result"),)
    assert view.notice_days == 60 and view.renewal == "automatic"
    assert [r.key for r in reminders_due(view, D(2027, 1, 8))] == [f"{REF}:2027-01-15:checkin:reminder"]
