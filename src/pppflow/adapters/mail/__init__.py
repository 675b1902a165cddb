"""Reminder mail: compose a due reminder into an e-mail and hand it to a transport.

The work lives in `compose` (the message, HTML, calendar invitation), `wording` (its words per language,
from `texts/<lang>.yaml`) and `transport` (SMTP, file, fake); this package is the one import path for
callers.
"""

from __future__ import annotations

from pppflow.adapters.mail.compose import compose, long_date, message_id
from pppflow.adapters.mail.transport import FakeMailer, FileMailer, MailDeliveryError, Mailer, SmtpMailer

__all__ = ["FakeMailer", "FileMailer", "MailDeliveryError", "Mailer", "SmtpMailer", "compose", "long_date",
           "message_id"]
