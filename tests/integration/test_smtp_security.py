"""PPPFLOW_SMTP_SECURITY (issue 13): one setting with a default that follows the port, implicit TLS, and a
failure message that names the setting to change."""

from __future__ import annotations

import ssl
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from pppflow.adapters.mail import MailDeliveryError, SmtpMailer
from pppflow.config import Settings
from pppflow.errors import ConfigError
from test_mail_smtp import Inbox, composed, due, free_port, self_signed


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "starttls"),  # port 587 by default
    ({"PPPFLOW_SMTP_PORT": "465"}, "tls"),
    ({"PPPFLOW_SMTP_PORT": "25"}, "none"),
    ({"PPPFLOW_SMTP_PORT": "2525", "PPPFLOW_SMTP_SECURITY": "STARTTLS"}, "starttls"),
    ({"PPPFLOW_SMTP_PORT": "587", "PPPFLOW_SMTP_SECURITY": "none"}, "none"),
    ({"PPPFLOW_SMTP_STARTTLS": "false"}, "none"),  # the older setting, read when the new one is unset
])
def test_the_security_setting_and_its_default(env: dict[str, str], expected: str) -> None:
    assert Settings.from_environ({"PPPFLOW_HOME": "/tmp/h", **env}).smtp_security == expected


def test_a_wrong_security_value_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="PPPFLOW_SMTP_SECURITY must be starttls, tls or none, got 'ssl'"):
        Settings.from_environ({"PPPFLOW_HOME": "/tmp/h", "PPPFLOW_SMTP_SECURITY": "ssl"})


def test_starttls_against_a_plain_relay_fails_naming_the_setting() -> None:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with pytest.raises(MailDeliveryError) as caught:
            SmtpMailer("127.0.0.1", controller.port, security="starttls").send(composed(due(date(2027, 1, 8),
                                                                                            "reminder")))
        SmtpMailer("127.0.0.1", controller.port, security="none").send(composed(due(date(2027, 1, 8), "reminder")))
    finally:
        controller.stop()
    assert "does not offer STARTTLS" in caught.value.message
    assert "PPPFLOW_SMTP_SECURITY=none" in caught.value.details[0]
    assert not caught.value.uncertain and len(inbox.received) == 1


def test_implicit_tls_delivers_and_a_plain_client_is_told_what_to_set(tmp_path: Path) -> None:
    cert_file, key_file = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    client_tls = ssl.create_default_context(cafile=str(cert_file))
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=server_tls)
    controller.start()
    try:
        message = composed(due(date(2027, 1, 8), "reminder"))
        SmtpMailer("127.0.0.1", controller.port, security="tls", ssl_context=client_tls).send(message)
        with pytest.raises(MailDeliveryError) as caught:  # a TLS client against... itself with the wrong CA
            SmtpMailer("127.0.0.1", controller.port, security="tls", timeout=3).send(message)
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    assert "PPPFLOW_SMTP_SECURITY is tls" in caught.value.details[0]
