"""Messages in the user's words from the CLI: a corpus of bad specs, progress files, partner files, maturity answers
and ledger entries; each is refused (exit 2) naming the place as written, with no Python repr or pydantic English."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import FIXTURES
from users_words import not_in_users_words

pytestmark = pytest.mark.slow  # sixteen CLI runs
REF = "smart-industry-technician-pact"
SPEC = (FIXTURES / "smart-industry-pact.yaml").read_text(encoding="utf-8")

BAD_SPECS = {
    "date-key.yaml": SPEC + "2027-02-20: a date as a key\n",
    "term.yaml": SPEC.replace("start: 2027-01-01\n  months: 36", "start: someday\n  months: many"),
    "syntax.yaml": "spec: pppflow/v1\nname: [unclosed\n",
    "list.yaml": "- spec\n- pppflow/v1\n",
    "not-a-field.yaml": SPEC + "colour: blue\n",
}
BAD_PROGRESS = {
    "hours.yaml": "obligations:\n  - {key: research, activities: [Reading], hours: lots}\n",
    "activities.yaml": "obligations:\n  - {key: research, activities: {a: 1}, hours: 2}\n"
                       "  - {key: research, activities: [1, {x: y}], hours: [1]}\n",
    "date-key.yaml": "obligations:\n  - key: modules-delivered\n    status: fulfilled\n    2027-02-20: x\n",
    "infinite.yaml": "obligations:\n  - {key: research, hours: .inf}\n  - 5\nnotes: [a, b]\n",
}
BAD_PARTNER = "key: [x]\nname: 5\n2027-01-01: y\n"
BAD_ANSWERS = "framework: kp2\npartner: hanze\nanswers:\n  - {key: shared-vision, level: [1]}\n  - {level: 3}\n  - 7\n"
LEDGER = ["ledger", "add", REF, "--partner", "hanze", "--phase", "investment", "--kind", "hours", "--unit", "hours",
          "--date"]
BAD_LEDGER = [["2027-13-40", "--quantity", "1"], ["2026-11-30", "--quantity", "abc"],
              ["2026-11-30", "--quantity", "1e400"], ["2026-11-30", "--quantity", "NaN"]]


def _files(tmp_path: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        (path := tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_the_corpus_of_bad_input_is_refused_in_the_users_words(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", str(FIXTURES / "smart-industry-pact.yaml")).code == 0
    (specs := tmp_path / "specs").mkdir()
    (progress := tmp_path / "progress").mkdir()
    results = {f"import {p.name}": cli("partnership", "import", str(p)) for p in _files(specs, BAD_SPECS)}
    results |= {f"checkin {p.name}": cli("checkin", "record", REF, "--progress", str(p))
                for p in _files(progress, BAD_PROGRESS)}
    partner, answers = _files(tmp_path, {"partner.yaml": BAD_PARTNER, "answers.yaml": BAD_ANSWERS})
    results["partner"] = cli("partner", "admit", REF, str(partner))
    results["maturity"] = cli("maturity", "assess", REF, "--partner", "hanze", "--file", str(answers))
    results |= {f"ledger {args}": cli(*LEDGER, *args) for args in BAD_LEDGER}
    for what, r in results.items():
        assert r.code == 2, (what, r.out, r.err)
        assert not_in_users_words(r.out + r.err) == [], (what, r.err)
    assert "2027-02-20: a key must be text" in results["import date-key.yaml"].err
    assert "term.start: must be a date (YYYY-MM-DD)" in results["import term.yaml"].err
    assert f"{specs / 'syntax.yaml'}, line 3, column 1" in results["import syntax.yaml"].err
    assert "obligations[0].activities: must be a list or text" in results["checkin activities.yaml"].err
    assert "obligations[1].activities[0]: must be text" in results["checkin activities.yaml"].err
    assert "obligations[0].2027-02-20: a key must be text" in results["checkin date-key.yaml"].err
    assert "obligations[0].hours: must be a number" in results["checkin hours.yaml"].err
