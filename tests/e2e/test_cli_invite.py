"""`pppflow user invite`: a disabled user, the mail written by the embedded mailer with a link under
PPPFLOW_BASE_URL, and bad input refused with exit 2 and nothing stored."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

from factories import FIXTURES

EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")


def test_invite_mails_a_link_under_the_base_url_and_creates_a_disabled_user(cli) -> None:  # type: ignore[no-untyped-def]
    cli.env["PPPFLOW_BASE_URL"] = "https://partners.example.org/"
    assert cli("partnership", "import", EXAMPLE).code == 0
    r = cli("user", "invite", "e.mulder@hanze.example", "--role", "partner", "--partner-organisation", "hanze",
            "--name", "Erik Mulder", "--expires-hours", "24", "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert (out["username"], out["disabled"], out["language"], out["mail"]) == \
        ("e.mulder@hanze.example", True, "nl", "sent")
    assert "token" not in r.out and "/invitations/" not in r.out  # the link goes to the invited person only
    [eml] = list((cli.home / "outbox").glob("*.eml"))
    mail = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    text = mail.get_body(("plain",)).get_content()
    assert re.search(r"https://partners\.example\.org/invitations/[A-Za-z0-9_-]{43,}", text)
    assert "Erik Mulder" in text and mail["To"].addresses[0].addr_spec == "e.mulder@hanze.example"
    listed = {u["username"]: u for u in cli("user", "list", "--json").json()}
    assert listed["e.mulder@hanze.example"]["disabled"] is True


def test_bad_invitations_exit_2_and_store_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    for args, field in ((["not-an-address", "--partner-organisation", "hanze"], "email"),
                        (["a@b.example"], "partner_organisation"),
                        (["a@b.example", "--partner-organisation", "hanze", "--expires-hours", "0"], "expires_hours"),
                        (["a@b.example", "--role", "chief"], "role")):
        r = cli("user", "invite", *args)
        assert r.code == 2 and f"{field}:" in r.err, (args, r.err)
    assert cli("user", "list", "--json").json() == []
    assert not (cli.home / "outbox").exists() or not list((cli.home / "outbox").glob("*.eml"))
    assert cli("user", "invite", "a@b.example", "--partner-organisation", "hanze").code == 0
    again = cli("user", "invite", "a@b.example", "--partner-organisation", "hanze")
    assert again.code == 4 and "already exists" in again.err
    assert len(list((cli.home / "outbox").glob("*.eml"))) == 1
