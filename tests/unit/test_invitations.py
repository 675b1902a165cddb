"""Invitations with fakes: a disabled user and one queued mail, in the partner's language; the link works once,
until it expires; bad input stores nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from factories import NOW, draft
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.mail import FakeMailer
from pppflow.errors import BadInput, ConflictError, Forbidden, NotFound
from pppflow.services import accounts
from pppflow.services.invitations import (
    InvitationUnusable,
    accept_invitation,
    deliver_invitations,
    invite_user,
    open_invitation,
)

BASE = "https://ppp.example.org"


def invite(uow: FakeUnitOfWork, email: str = "Henk@Hanze.example", **kw):  # type: ignore[no-untyped-def]
    args = {"role": "partner", "partner_organisation": "hanze", "uow": uow, "now": NOW, "base_url": BASE,
            "mail_from": "pppflow <noreply@ppp.example.org>", "invited_by": "coco", "name": "Henk Visser"} | kw
    return invite_user(email, **args)


def sent_link(mailer: FakeMailer) -> str:
    body = mailer.sent[-1].get_body(("plain",)).get_content()
    found = re.search(rf"{re.escape(BASE)}/invitations/(\S+)", body)
    assert found, body
    return found.group(1)


def test_invitation_creates_a_disabled_user_and_mails_a_one_time_link_in_the_partners_language() -> None:
    uow = FakeUnitOfWork([draft()])  # language: nl; hanze is a party
    issued = invite(uow)
    user = uow.accounts.find("henk@hanze.example")[0]
    assert user.disabled and user.role == "partner" and user.partner_organisation == "hanze"
    assert issued.language == "nl" and issued.expires_at == NOW + timedelta(hours=72)
    mailer = FakeMailer()
    assert deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW).sent == 1
    mail = mailer.sent[0]
    assert mail["To"] == "Henk Visser <henk@hanze.example>" and mail["Content-Language"] == "nl"
    assert "Uw account voor" in mail["Subject"]
    token = sent_link(mailer)
    assert len(token) >= 43  # 256 bits, url-safe base64
    assert not any(token in str(v) for v in uow.invitations.items.values())  # only its hash is kept
    assert all(m.message is None for m in uow.outbox.rows.values())  # nor is the sent body
    assert deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW).sent == 0  # exactly once

    assert accounts.login("henk@hanze.example", "a new password!", accounts=uow.accounts) is None
    accept_invitation(token, "a new password!", uow=uow, now=NOW + timedelta(hours=1))
    assert accounts.login("henk@hanze.example", "a new password!", accounts=uow.accounts) is not None
    with pytest.raises(InvitationUnusable, match="used already"):
        accept_invitation(token, "another password", uow=uow, now=NOW + timedelta(hours=2))
    assert accounts.login("henk@hanze.example", "a new password!", accounts=uow.accounts) is not None


def test_an_organisation_without_partnerships_is_invited_in_english() -> None:
    uow = FakeUnitOfWork([draft()])
    assert invite(uow, partner_organisation="newcomer").language == "en"


def test_an_expired_link_changes_nothing() -> None:
    uow, mailer = FakeUnitOfWork([draft()]), FakeMailer()
    invite(uow, expires_hours=2)
    deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW)
    token = sent_link(mailer)
    open_invitation(token, uow=uow, now=NOW + timedelta(hours=1, minutes=59))
    with pytest.raises(InvitationUnusable, match="expired"):
        accept_invitation(token, "a new password!", uow=uow, now=NOW + timedelta(hours=2))
    assert uow.accounts.find("henk@hanze.example")[0].disabled


def test_an_unknown_link_is_not_found() -> None:
    with pytest.raises(NotFound, match="not known"):
        accept_invitation("made-up", "a new password!", uow=FakeUnitOfWork(), now=NOW)


@pytest.mark.parametrize(("email", "kw", "field"), [
    ("not-an-address", {}, "email"),
    ("a@b.example", {"partner_organisation": None}, "partner_organisation"),
    ("a@b.example", {"role": "boss"}, "role"),
    ("a@b.example", {"expires_hours": 0}, "expires_hours"),
])
def test_bad_input_names_the_field_and_stores_nothing(email: str, kw: dict, field: str) -> None:  # type: ignore[type-arg]
    uow = FakeUnitOfWork([draft()])
    with pytest.raises(BadInput) as caught:
        invite(uow, email, **kw)
    assert any(d.startswith(f"{field}:") for d in caught.value.details)
    assert uow.accounts.list() == [] and uow.outbox.rows == {} and uow.committed == 0


def test_a_taken_username_is_a_conflict_and_a_coordinator_invites_partners_only() -> None:
    uow = FakeUnitOfWork([draft()])
    invite(uow)
    with pytest.raises(ConflictError):
        invite(uow)
    with pytest.raises(Forbidden):
        invite(uow, "boss@x.example", role="admin", partner_organisation=None, inviter_role="coordinator")
    assert len(uow.outbox.rows) == 1


def test_a_password_too_short_leaves_the_link_usable() -> None:
    uow, mailer = FakeUnitOfWork([draft()]), FakeMailer()
    invite(uow)
    deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW)
    token = sent_link(mailer)
    with pytest.raises(BadInput):
        accept_invitation(token, "short", uow=uow, now=NOW)
    accept_invitation(token, "long enough now", uow=uow, now=NOW)


def test_an_invitation_mail_that_failed_is_sent_once_on_a_later_delivery() -> None:
    uow, mailer = FakeUnitOfWork([draft()]), FakeMailer(fail_times=1)
    invite(uow)
    first = deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW)
    assert (first.sent, first.failed) == (0, 1)
    [row] = uow.outbox.rows.values()
    assert row.status == "pending" and row.message  # kept until it is sent
    later = deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW + timedelta(minutes=6))
    assert later.sent == 1 and len(mailer.sent) == 1 and row.message is None
    assert deliver_invitations(uow_factory=lambda: uow, mailer=mailer, now=NOW + timedelta(hours=1)).sent == 0
