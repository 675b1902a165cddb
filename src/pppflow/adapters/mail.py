"""Reminder mail: compose a due reminder into an e-mail and hand it to a transport.

The work lives in `mail_compose` (the message, HTML, calendar invitation), `mail_wording` (its words per language,
from `mail_texts/<lang>.yaml`) and `mail_transport` (SMTP, file, fake); this module is the one import path for
callers.
"""

from __future__ import annotations

from pppflow.adapters.mail_compose import compose, long_date, message_id
from pppflow.adapters.mail_transport import FakeMailer, FileMailer, MailDeliveryError, Mailer, SmtpMailer

__all__ = ["FakeMailer", "FileMailer", "MailDeliveryError", "Mailer", "SmtpMailer", "compose", "long_date",
           "message_id"]
