"""Sending composed e-mail: a `Mailer` protocol, SMTP and file transports, and a fake for unit tests.

Every transport failure is a `MailDeliveryError` chained to the library error. `FileMailer` is the embedded
default: it needs no mail server and writes one `.eml` file per Message-ID, atomically.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pppflow.errors import PppflowError

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

log = logging.getLogger(__name__)


class MailDeliveryError(PppflowError):
    """A message could not be handed to the mail transport; it may be retried.

    `uncertain`: the failure came after the message text was sent (no reply to DATA), so it may have arrived.
    """

    exit_code = 1
    code = "mail_delivery_error"

    def __init__(self, message: str, *, details: list[str] | None = None, uncertain: bool = False) -> None:
        super().__init__(message, details=details)
        self.uncertain = uncertain


class SECURITY:
    """The values of PPPFLOW_SMTP_SECURITY."""

    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"
    ALL = (STARTTLS, TLS, NONE)


class _Submission(smtplib.SMTP):
    """smtplib's client with the named fault points around DATA, and a note of whether DATA was sent."""

    data_sent = False

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        from pppflow.faults import fault_point

        fault_point("before_data")
        self.data_sent = True
        reply = super().data(msg)
        fault_point("after_250")
        return reply


class _SslSubmission(_Submission, smtplib.SMTP_SSL):
    """The same over implicit TLS (port 465)."""


class Mailer(Protocol):
    """Hands one composed message to a transport, or raises MailDeliveryError."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpMailer:
    """SMTP submission: STARTTLS when asked, login only when a user is given; the password is never logged."""

    host: str
    port: int
    security: str  # starttls, tls or none (SECURITY)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)

    def send(self, message: EmailMessage) -> None:
        """Deliver one message in its own connection; recipients the server refused are logged."""
        where = f"{self.host}:{self.port}"
        smtp: _Submission | None = None
        try:
            context = self.ssl_context or ssl.create_default_context()
            if self.security == SECURITY.TLS:
                smtp = _SslSubmission(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = _Submission(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == SECURITY.STARTTLS:
                    smtp.starttls(context=context)
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailDeliveryError(f"the mail server {where} refused the login of {self.user!r}",
                                    details=[f"server said: {exc.smtp_code} {reply_text(exc.smtp_error)}"]) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailDeliveryError(f"the mail server {where} refused every recipient of "
                                    f"{message['Message-ID']}",
                                    details=[f"{to}: {code} {reply_text(text)}"
                                             for to, (code, text) in exc.recipients.items()]) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise MailDeliveryError(f"the mail server {where} does not offer STARTTLS",
                                    details=["set PPPFLOW_SMTP_SECURITY=none for a plain local relay, or =tls for "
                                             "a server that speaks TLS from the start (port 465)"]) from exc
        except (smtplib.SMTPException, OSError) as exc:
            uncertain = bool(smtp is not None and smtp.data_sent and not isinstance(exc, smtplib.SMTPDataError))
            raise MailDeliveryError(f"could not deliver {message['Message-ID']} through {where}: "
                                    f"{type(exc).__name__}: {exc}", details=security_hint(exc, self.security),
                                    uncertain=uncertain) from exc
        if refused:
            # Not an error: the others received it, and a retry would send it to them twice.
            log.warning("mail %s: %s refused %s", message["Message-ID"], where, ", ".join(sorted(refused)))


@dataclass
class FileMailer:
    """Writes each message to `<directory>/<sanitised Message-ID>.eml`; a resend replaces the file."""

    directory: Path

    def send(self, message: EmailMessage) -> None:
        """Write to a temporary file in the same directory, then rename it into place."""
        message_id = message["Message-ID"]
        if not message_id:
            raise MailDeliveryError("a message without a Message-ID cannot be written to the mail directory")
        target = self.directory / f"{eml_name(str(message_id))}.eml"
        temporary: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".eml.tmp")
            with os.fdopen(descriptor, "wb") as out:
                out.write(message.as_bytes())
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
            temporary = None
        except OSError as exc:
            raise MailDeliveryError(f"could not write {target}: {exc}") from exc
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def path_of(self, message: EmailMessage) -> Path:
        """Where `send` writes (or wrote) this message."""
        return self.directory / f"{eml_name(str(message['Message-ID']))}.eml"


@dataclass
class FakeMailer:
    """Keeps sent messages in `sent`; the first `fail_times` sends raise MailDeliveryError (an outage)."""

    fail_times: int = 0
    sent: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0

    def send(self, message: EmailMessage) -> None:
        """Record the message, or fail while the simulated outage lasts."""
        self.attempts += 1
        if self.fail_times > 0:
            self.fail_times -= 1
            raise MailDeliveryError("simulated outage: the mail server is unreachable") from ConnectionRefusedError()
        self.sent.append(message)


def security_hint(exc: BaseException, security: str) -> list[str]:
    """What to change when the failure looks like the wrong PPPFLOW_SMTP_SECURITY."""
    if isinstance(exc, ssl.SSLError) or (security == SECURITY.TLS and isinstance(
            exc, (smtplib.SMTPServerDisconnected, TimeoutError))):
        return [f"PPPFLOW_SMTP_SECURITY is {security}: set it to what the server speaks (starttls: usually port "
                "587; tls: port 465; none: a plain local relay)"]
    return []


def eml_name(message_id: str) -> str:
    """A Message-ID made safe as a file name: no brackets, separators or leading dots."""
    name = re.sub(r"[^A-Za-z0-9@._+-]+", "_", message_id.strip().strip("<>")).lstrip(".")
    return name[:200] or "message"


def reply_text(reply: bytes | str) -> str:
    """An SMTP reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
