"""An invitation end to end on SQLite and PostgreSQL: the mail arrives at a real SMTP server (aiosmtpd), the link
in it sets the password once, and logging in works; the stored rows never hold the token."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from factories import NOW, example_raw
from pppflow.adapters.accounts import SqlAccountStore
from pppflow.adapters.db.schema import invitations, outbox
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
from pppflow.adapters.mail import SmtpMailer
from pppflow.services import accounts
from pppflow.services.invitations import InvitationUnusable, accept_invitation, deliver_invitations, invite_user
from pppflow.services.partnerships import import_partnership

BASE = "https://partners.example.org"


@dataclass
class Inbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


@pytest.fixture
def sessions(database_url: str) -> Iterator[Any]:
    from pppflow.adapters.db.database import session_factory

    factory = session_factory(database_url)
    yield factory
    factory.kw["bind"].dispose()


def test_the_invitation_mail_arrives_and_its_link_sets_the_password_once(sessions: Any, smtp: Any,
                                                                          lifecycles: Any) -> None:
    inbox, port = smtp
    uow_factory = lambda: SqlUnitOfWork(sessions)  # noqa: E731
    import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="coco", now=NOW)
    issued = invite_user("Henk.Visser@Hanze.example", role="partner", partner_organisation="hanze",
                         name="Henk Visser", uow=uow_factory(), now=NOW, base_url=BASE,
                         mail_from="pppflow <noreply@partners.example.org>", invited_by="coco", expires_hours=48)
    mailer = SmtpMailer("127.0.0.1", port, security="none", timeout=30)  # per socket operation; generous when busy
    assert deliver_invitations(uow_factory=uow_factory, mailer=mailer, now=NOW).sent == 1
    assert deliver_invitations(uow_factory=uow_factory, mailer=mailer, now=NOW).sent == 0  # exactly once
    [mail] = inbox.received
    assert mail["To"].addresses[0].addr_spec == "henk.visser@hanze.example"
    assert mail["Subject"] == "[pppflow] Uw account voor Hanze University of Applied Sciences"
    text = mail.get_body(("plain",)).get_content()
    token = re.search(rf"{re.escape(BASE)}/invitations/([A-Za-z0-9_-]+)", text).group(1)  # type: ignore[union-attr]
    assert f'href="{BASE}/invitations/{token}"' in mail.get_body(("html",)).get_content()
    with sessions() as s:  # the token is nowhere in the database
        rows = [str(tuple(r)) for r in s.execute(select(invitations))] + \
               [str(tuple(r)) for r in s.execute(select(outbox))]
    assert rows and not any(token in row for row in rows)

    store = SqlAccountStore(sessions)
    assert accounts.login(issued.user.username, "de nieuwe sleutel", accounts=store) is None  # disabled
    accept_invitation(token, "de nieuwe sleutel", uow=uow_factory(), now=NOW + timedelta(hours=47))
    user, _ = accounts.login("henk.visser@hanze.example", "de nieuwe sleutel", accounts=store)  # type: ignore[misc]
    assert user.role == "partner" and user.partner_organisation == "hanze" and not user.disabled
    with pytest.raises(InvitationUnusable):
        accept_invitation(token, "someone else's", uow=uow_factory(), now=NOW + timedelta(hours=47))
    assert accounts.login("henk.visser@hanze.example", "de nieuwe sleutel", accounts=store) is not None
