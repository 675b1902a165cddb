"""Maturity self-assessment: the answers file to fill in, recording a round, and the overview."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.maturity import MaturityOverview, MaturityRound, overview, parse_answers, round_level
from pppflow.domain.maturity import answers_template as template_for
from pppflow.errors import BadInput


def _language(lang: str | None, default: str) -> str:
    if lang is None:
        return default if default in ("en", "nl") else "en"
    if lang not in ("en", "nl"):
        raise BadInput(f"unknown language {lang!r}", details=["one of: en, nl"])
    return lang


def answers_template(ref: str, partner: str, *, uow: UnitOfWork, files: AssessmentFiles, lang: str | None = None,
                     framework: str | None = None) -> dict[str, Any]:
    """The answers file for one partner of a partnership, in its language (or `lang`)."""
    with uow:
        p = uow.partnerships.read(ref)
        p.partner(partner)
        return template_for(files.framework(framework), partner, _language(lang, p.language))


def record_round(ref: str, partner: str, answers: Any, *, uow: UnitOfWork, files: AssessmentFiles, actor: str,
                 now: datetime, on_behalf: bool) -> MaturityRound:
    """Record one partner's round, whole, in the audit trail too; `on_behalf` when someone of the desk records
    it for the partner. Bad answers name the statement and store nothing."""
    key = answers.get("framework") if isinstance(answers, dict) else None
    fw = files.framework(key if isinstance(key, str) else None)
    parsed = parse_answers(answers, fw, partner)
    with uow:
        p = uow.partnerships.get(ref)
        p.partner(partner)
        rnd = MaturityRound(partner, fw.key, tuple(parsed), actor, now, partner if on_behalf else None)
        level = round(100 * round_level(fw, rnd))
        number = uow.maturity.add(ref, rnd, level)
        p.record("maturity.assess", actor=actor, now=now, before=None,
                 after={"round": number, "partner": partner, "framework": fw.key, "level_percent": level,
                        "on_behalf_of": rnd.on_behalf_of,
                        "answers": {a.key: a.level for a in parsed}})
        uow.commit()
    return MaturityRound(partner, fw.key, tuple(parsed), actor, now, rnd.on_behalf_of, number)


def maturity_overview(ref: str, *, uow: UnitOfWork, files: AssessmentFiles,
                      lang: str | None = None) -> tuple[MaturityOverview, list[MaturityRound]]:
    """Per station and partner the latest level, the change, the disagreements; and every round."""
    with uow:
        p = uow.partnerships.read(ref)
        rounds = uow.maturity.list(ref)
    keys = {r.framework for r in rounds}
    fw = files.framework(rounds[-1].framework if rounds and len(keys) == 1 else None)
    return overview(fw, rounds, _language(lang, p.language)), rounds
