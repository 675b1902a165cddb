"""`pppflow maturity` and `pppflow health` as a coordinator uses them."""

from __future__ import annotations

import yaml

from factories import FIXTURES

EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"


def test_template_assess_show_and_bad_answers(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    r = cli("maturity", "template", REF, "--partner", "hanze", "--lang", "en")
    assert r.code == 0
    assert r.out.startswith("framework: kp2\npartner: hanze\nlevels: [beginner, developing, advanced, mature]\n"
                            "answers:\n  - {key: shared-vision, station: 1, statement: ")
    doc = yaml.safe_load(r.out)
    for a in doc["answers"]:
        a["level"] = "advanced"
    doc["answers"][0]["level"] = "guru"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc))
    r = cli("maturity", "assess", REF, "--partner", "hanze", "--file", str(bad))
    assert r.code == 2
    assert "statement 'shared-vision': 'guru' is not a level" in r.err
    assert cli("maturity", "show", REF, "--json").json()["rounds"] == 0   # nothing stored
    doc["answers"][0]["level"] = "mature"
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(doc))
    r = cli("maturity", "assess", REF, "--partner", "hanze", "--file", str(good), "--json")
    assert r.code == 0
    assert (r.json()["round"], r.json()["on_behalf_of"], r.json()["recorded_by"]) == (1, "hanze", "marieke")
    shown = cli("maturity", "show", REF, "--json").json()
    assert shown["stations"][0]["partners"]["hanze"]["level"] == "advanced"   # mean of mature, advanced, advanced
    assert cli("maturity", "template", REF, "--partner", "nobody").code == 3
    history = cli("partnership", "history", REF, "--json").json()
    assert any(e["action"] == "maturity.assess" for e in history)


def test_health_json_has_score_band_and_components(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    r = cli("health", REF, "--as-of", "2027-06-30", "--json")
    assert r.code == 0
    data = r.json()
    assert isinstance(data["score"], int) and data["band"] in ("healthy", "attention", "at_risk")
    assert {c["key"] for c in data["components"]} == {"checkins", "overdue_obligations", "effort_logged",
                                                       "contributions", "responsiveness", "maturity"}
    assert all({"value", "weight", "sentence"} <= set(c) for c in data["components"])
    listed = cli("health", "list", "--as-of", "2027-06-30", "--json").json()
    assert [p["ref"] for p in listed["partnerships"]] == [REF]
    assert cli("health", "nope", "--json").code == 3
    assert cli("health", REF, "--as-of", "30-06-2027").code == 2


def test_missed_checkins_lower_the_score_and_the_component_says_why(cli) -> None:  # type: ignore[no-untyped-def]
    """A walk through the real command: agree, plan the check-ins, then look at the score as the months pass."""
    assert cli("partnership", "import", EXAMPLE).code == 0
    for goal in ("modules", "lifelong"):
        for partner in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
            assert cli("goal", "agree", REF, goal, "--partner", partner).code == 0
    for trigger in ("define_goals", "agree_framework"):   # plans monthly check-ins from 15 January 2027
        assert cli("partnership", "advance", REF, trigger).code == 0
    before = cli("health", REF, "--as-of", "2027-01-10", "--json").json()
    after = cli("health", REF, "--as-of", "2027-03-31", "--json").json()
    checkins_before = next(c for c in before["components"] if c["key"] == "checkins")
    checkins_after = next(c for c in after["components"] if c["key"] == "checkins")
    assert (checkins_before["counted"], checkins_before["sentence"]) == (
        False, "no check-in was due in the last 12 months")
    assert (checkins_after["value"], checkins_after["sentence"]) == (0, "3 of the last 3 check-ins were missed")
    assert after["score"] < before["score"]
    shown = cli("health", REF, "--as-of", "2027-03-31")
    assert "3 of the last 3 check-ins were missed" in shown.out and f"health {after['score']}" in shown.out
