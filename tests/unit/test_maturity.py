"""The maturity framework as data, the answers file, a round's validation and the overview."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.domain.maturity import MaturityRound, answers_template, overview, parse_answers, parse_framework
from pppflow.errors import BadInput

T1 = datetime(2027, 1, 10, tzinfo=UTC)
T2 = datetime(2027, 7, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def kp2():  # type: ignore[no-untyped-def]
    return AssessmentFiles().framework("kp2")


def filled(fw, partner: str, level: str, **by_key: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    doc = answers_template(fw, partner, "en")
    for a in doc["answers"]:
        a["level"] = by_key.get(a["key"].replace("-", "_"), level)
    return doc


def test_kp2_has_the_three_stations_with_statements_in_english_and_dutch(kp2) -> None:  # type: ignore[no-untyped-def]
    assert [s.number for s in kp2.stations] == [1, 2, 3]
    assert kp2.stations[2].words("en") == "Delivering training with active private sector involvement"
    assert kp2.levels == ("beginner", "developing", "advanced", "mature")
    keys = [s.key for s in kp2.statements]
    for challenge in ("shared-vision", "internationalisation", "research-methods", "innovation-in-programmes",
                      "research-capacity", "advanced-technologies"):
        assert challenge in keys
    assert all(s.text["nl"] and s.text["nl"] != s.text["en"] for s in kp2.statements)


def test_the_template_has_exactly_the_issue_shape(kp2) -> None:  # type: ignore[no-untyped-def]
    doc = answers_template(kp2, "alfa", "nl")
    assert list(doc) == ["framework", "partner", "levels", "answers"]
    assert (doc["framework"], doc["partner"], doc["levels"]) == ("kp2", "alfa", list(kp2.levels))
    first = doc["answers"][0]
    assert list(first) == ["key", "station", "statement", "level", "evidence"]
    assert (first["key"], first["station"], first["level"], first["evidence"]) == ("shared-vision", 1, None, "")
    assert first["statement"].startswith("De partners delen een visie")


def test_bad_answers_name_the_statement(kp2) -> None:  # type: ignore[no-untyped-def]
    doc = filled(kp2, "alfa", "advanced", shared_vision="expert")
    del doc["answers"][-1]
    with pytest.raises(BadInput) as err:
        parse_answers(doc, kp2, "alfa")
    assert "statement 'shared-vision': 'expert' is not a level (one of beginner, developing, advanced, mature)" \
        in err.value.details
    assert "statement 'contributions-delivered': not answered" in err.value.details
    unanswered = answers_template(kp2, "alfa", "en")
    with pytest.raises(BadInput) as err:
        parse_answers(unanswered, kp2, "alfa")
    assert len(err.value.details) == len(kp2.statements)
    with pytest.raises(BadInput) as err:
        parse_answers(filled(kp2, "gasnet", "mature"), kp2, "alfa")
    assert err.value.details == ["partner: the file is for 'gasnet', not 'alfa'"]


def test_the_overview_shows_levels_changes_and_disagreement(kp2) -> None:  # type: ignore[no-untyped-def]
    def rnd(partner: str, doc: dict, at: datetime, n: int) -> MaturityRound:  # type: ignore[type-arg]
        return MaturityRound(partner, "kp2", tuple(parse_answers(doc, kp2, partner)), "m", at, None, n)

    rounds = [rnd("alfa", filled(kp2, "alfa", "developing"), T1, 1),
              rnd("alfa", filled(kp2, "alfa", "mature"), T2, 2),
              rnd("gasnet", filled(kp2, "gasnet", "developing", shared_vision="beginner"), T2, 3)]
    view = overview(kp2, rounds)
    station1 = view.stations[0].per_partner
    assert station1["alfa"]["level"] == "mature" and station1["alfa"]["change"] == 2.0
    assert station1["gasnet"]["level"] == "beginner" and station1["gasnet"]["change"] is None
    assert "alfa says mature, gasnet says beginner on shared vision" in view.disagreements
    assert view.rounds == 3


def test_a_framework_file_with_errors_is_refused_by_path() -> None:
    with pytest.raises(BadInput) as err:
        parse_framework({"key": "x", "levels": ["low"], "stations": [{"number": 1, "title": "A",
                                                                     "statements": [{"text": "t"}]}]},
                        source="x.yaml")
    assert "levels: a list of at least two distinct level names, lowest first" in err.value.details
    assert "stations[0].statements[0].key: missing" in err.value.details
