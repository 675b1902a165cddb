"""The CLI for partners' answers: `goal withdraw`, `partner reject`, `partner list`; the operator acts on behalf
of the partner it names, and drafts say why."""

from __future__ import annotations

from pathlib import Path

import yaml

from factories import FIXTURES

EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"
PARTNERS = ("noorderpoort", "hanze", "techbedrijf", "provincie")


def test_goal_withdraw_on_behalf_of_and_the_draft_says_why(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    assert cli("goal", "agree", REF, "modules", "--partner", "hanze").code == 0
    r = cli("goal", "withdraw", REF, "modules", "--partner", "hanze", "--comment", " ")
    assert r.code == 2 and "comment: give a comment" in r.err
    assert cli("goal", "withdraw", REF, "nope", "--partner", "hanze", "--comment", "x").code == 3
    r = cli("goal", "withdraw", REF, "modules", "--partner", "hanze", "--comment", "Too many modules", "--json")
    assert r.code == 0 and r.json() == {"ref": REF, "goal": "modules", "partner": "hanze", "outcome": "withdrawn",
                                        "agreed_by": []}
    history = cli("partnership", "history", REF, "--json").json()
    agree, withdraw = [e for e in history if e["action"] in ("goal.agree", "goal.withdraw")]
    assert (agree["actor"], agree["on_behalf_of"], agree["acted_as"]) == \
        ("marieke", "hanze", "coordinator marieke on behalf of hanze")
    assert (withdraw["on_behalf_of"], withdraw["reason"]) == ("hanze", "Too many modules")
    assert "marieke on behalf of hanze" in cli("partnership", "history", REF).out

    r = cli("agreement", "generate", REF)
    assert r.code == 0
    assert "draft: goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College)" in r.out
    listed = cli("agreement", "list", REF, "--json").json()
    assert listed[0]["status"] == "draft" and listed[0]["status_text"].startswith("draft: goal 'modules'")
    shown = cli("agreement", "show", REF, "1")
    assert "draft: goal 'modules' is not yet agreed by" in shown.out


def test_partner_reject_and_list(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    for goal in ("modules", "lifelong"):
        for k in PARTNERS:
            assert cli("goal", "agree", REF, goal, "--partner", k).code == 0
    assert cli("partnership", "advance", REF, "define_goals").code == 0
    acme = tmp_path / "acme.yaml"
    acme.write_text(yaml.safe_dump({"key": "acme", "name": "Acme Robotics", "kind": "company",
                                    "contact": {"name": "Ann de Boer"}, "signatory": {"name": "Bo Smit"}}))
    assert cli("partner", "admit", REF, str(acme)).code == 0
    assert cli("partner", "approve", REF, "acme", "--by", "provincie").code == 0
    r = cli("partner", "reject", REF, "acme", "--by", "hanze", "--reason", "")
    assert r.code == 2 and "reason: give a reason" in r.err
    assert cli("partner", "reject", REF, "nobody", "--by", "hanze", "--reason", "no").code == 3
    assert cli("partner", "reject", REF, "acme", "--by", "nope", "--reason", "no").code == 3
    pending = cli("partner", "list", REF, "--json").json()
    assert pending["admissions"][0]["status"] == "pending" and pending["admissions"][0]["answered"] == ["provincie"]

    r = cli("partner", "reject", REF, "acme", "--by", "hanze", "--reason", "No lab space", "--json")
    assert r.code == 0 and r.json() == {"ref": REF, "candidate": "acme", "by": "hanze", "status": "rejected",
                                        "reason": "No lab space"}
    data = cli("partner", "list", REF, "--json").json()
    assert [x["key"] for x in data["partners"]] == list(PARTNERS)
    [a] = data["admissions"]
    assert (a["status"], a["rejected_by"], a["rejection_reason"], a["answered"], a["awaiting"]) == \
        ("rejected", "hanze", "No lab space", ["provincie", "hanze"], [])
    text = cli("partner", "list", REF).out
    assert "rejected" in text and "No lab space" in text and "Hanze University" in text
    assert cli("partner", "approve", REF, "acme", "--by", "noorderpoort").code == 3  # final: nothing pending
    entry = next(e for e in cli("partnership", "history", REF, "--json").json() if e["action"] == "admission.reject")
    assert (entry["on_behalf_of"], entry["reason"]) == ("hanze", "No lab space")
