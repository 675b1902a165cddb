"""The admin's outbox page: failed and uncertain messages with a "Send again" button (issue 13); and an audited
write on a damaged audit chain answers 409 naming `audit verify` (issue 9 §1)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from factories import NOW
from pppflow.adapters.mail import FakeMailer
from pppflow.adapters.mail.outbox import OutboxMessage
from webapp import csrf


def failed_message(web: Any, status: str = "pending") -> int:
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"], mail["Message-ID"] = "Check-in soon", "p@x.example", "c@x.example", \
        "<m1@x.example>"
    mail.set_content("hello")
    row = OutboxMessage(key="k:2027-01-15:checkin:reminder", partnership_ref="pact", kind="checkin", step="reminder",
                        about="2027-01-15", send_on=NOW.date(), recipients=[{"name": "", "email": "c@x.example",
                                                                             "role": "to"}],
                        subject="Check-in soon", message_id="<m1@x.example>", message=mail.as_string(),
                        created_at=NOW, status=status, attempts=1,
                        last_error="the mail server 127.0.0.1:587 does not offer STARTTLS")
    with web.desk.uow() as uow:
        uow.outbox.add([row])
        uow.commit()
        return int(uow.outbox.list()[0].id)


def test_an_admin_sends_a_failed_message_again_from_the_outbox_page(web: Any) -> None:
    mailer = FakeMailer()
    web.app.state.desk = web.desk.replace(mailer=mailer)
    message_id = failed_message(web)
    admin = web.browser("admin")
    page = admin.get("/admin/outbox")
    assert page.status_code == 200 and "does not offer STARTTLS" in page.text and "Send again" in page.text
    r = admin.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert r.status_code == 200 and f"Message {message_id}: sent." in r.text
    assert [m["Message-ID"] for m in mailer.sent] == ["<m1@x.example>"]
    assert "Nothing failed and nothing is uncertain." in r.text
    again = admin.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf(page)})
    assert again.status_code == 409 and "only failed or uncertain messages can be retried" in again.text
    assert len(mailer.sent) == 1


def test_only_admins_see_the_outbox_page(web: Any) -> None:
    assert web.browser("coco").get("/admin/outbox").status_code == 403


def test_an_audited_api_write_on_a_damaged_chain_is_a_409_naming_audit_verify(web: Any) -> None:
    ref = web.import_example()
    with web.desk.uow() as uow:
        uow.session.execute(text("DROP TRIGGER audit_chain_head_no_delete"))
        uow.session.execute(text("DELETE FROM audit_chain_head"))
        uow.session.commit()
    r = web.api("coco").post(f"/api/v1/partnerships/{ref}/goals/modules/agreements", json={"partner": "hanze"})
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["error"] == "audit_chain_damaged" and "audit verify" in " ".join(body["details"])
    assert web.api("vera").get("/api/v1/audit/verify").json()["ok"] is False
