"""The daily digest to a partner's contact: what awaits the partner, one line and one link per item.

Worded from the mail texts of the partnership's language (`digest` in `mail_texts/<lang>.yaml`), rendered with
the same text and HTML letter templates as the reminders; links start at the configured public base URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from pppflow.adapters.mail.compose import TEMPLATES, address, greeting, message_id, one_line, utc
from pppflow.adapters.mail.wording import wording
from pppflow.domain.asks import Ask
from pppflow.domain.reminders import Recipient


def compose_digest(key: str, asks: Sequence[Ask], *, partner: str, to: Recipient, base_url: str, mail_from: str,
                   now: datetime, language: str | None) -> EmailMessage:
    """One e-mail listing every ask, in `language` (English when there are no mail texts for it)."""
    w = wording(language)
    lines = tuple(w.text("digest", "line", what=w.text("digest", "kinds", a.kind, key=one_line(a.key)),
                         partnership=one_line(a.partnership), link=f"{base_url}{a.link}") for a in asks)
    subject = w.text("digest", "subject", count=len(asks), partner=partner)
    values = {"subject": subject, "greeting": greeting([to], language=w.language),
              "paragraphs": (w.text("digest", "intro", partner=partner), *lines,
                             w.text("digest", "outro", link=f"{base_url}/asked")),
              "facts": (), "language": w.language, "reply_to": "",
              "signature": w.text("signature", partnership="pppflow")}
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = [address(to.name, to.email)]
    message["Date"] = format_datetime(utc(now))
    message["Message-ID"] = message_id(key, mail_from)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Pppflow-Key"] = key
    message.set_content(TEMPLATES.get_template("letter.txt").render(values))
    message.add_alternative(TEMPLATES.get_template("letter.html").render(values), subtype="html")
    message["Content-Language"] = w.language
    return message
