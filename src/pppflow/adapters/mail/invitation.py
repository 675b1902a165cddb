"""The invitation e-mail: who invites whom, for which organisation, and the one-time link, in one language.

The words come from `mail_texts/<lang>.yaml` (`account_invitation`); the HTML body autoescapes, the link is
the only anchor. No clock: the caller passes `now` (the Date header).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

from pppflow.adapters.mail.compose import address, message_id, one_line, utc
from pppflow.adapters.mail.wording import wording

TEXT = """\
{{ greeting }}

{% for paragraph in paragraphs %}{{ paragraph }}

{% endfor %}{{ link_line }}

{{ "-- " }}
{{ signature }}
"""

HTML = """\
<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; line-height: 1.4">
<p>{{ greeting }}</p>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}<p><a href="{{ link }}">{{ link_label }}</a></p>
<p style="color: #666">{{ signature }}</p>
</body></html>
"""

TEMPLATES = Environment(loader=DictLoader({"invitation.txt": TEXT, "invitation.html": HTML}),
                        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
                        undefined=StrictUndefined, keep_trailing_newline=True)


def compose_invitation(*, key: str, email: str, name: str | None, username: str, organisation: str, link: str,
                       expires_at: datetime, invited_by: str, mail_from: str, now: datetime,
                       language: str | None) -> EmailMessage:
    """The invitation to one person; its Message-ID derives from `key`, so a resend is recognisable."""
    w = wording(language)
    expires = utc(expires_at)
    values = {"organisation": one_line(organisation), "username": username, "invited_by": one_line(invited_by),
              "expires": f"{w.date(expires.date())} {expires:%H:%M} UTC", "link": link}
    subject = w.text("account_invitation", "subject", **values)
    link_line = w.text("account_invitation", "link", **values)
    context = {"subject": subject, "language": w.language, "link": link,
               "link_label": link_line.replace(link, "").strip().rstrip(":") or link,
               "greeting": w.text("greeting", "one", name=one_line(name)) if name else w.text("greeting", "all"),
               "paragraphs": w.paragraphs("account_invitation", "paragraphs", **values), "link_line": link_line,
               "signature": w.text("account_invitation", "signature", **values)}
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = [address(name or "", email)]
    message["Date"] = format_datetime(utc(now))
    message["Message-ID"] = message_id(key, mail_from)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Pppflow-Key"] = key
    message.set_content(TEMPLATES.get_template("invitation.txt").render(context))
    message.add_alternative(TEMPLATES.get_template("invitation.html").render(context), subtype="html")
    message["Content-Language"] = w.language
    return message
