"""The view model of a collaboration agreement, built from a partnership spec.

Pure: no files, no network, no clock (the caller passes `generated_on` and the sign-offs). The result holds
data and locale-formatted strings only; every heading, label and clause text lives in the template's
clause files, so the same view model renders in any language the templates support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pppflow.domain.agreement.contributions import PHASES, build_contributions
from pppflow.domain.agreement.formatting import (
    amount_view,
    cadence_view,
    iso_date,
    locale_for,
    long_date,
    term_end,
    to_decimal,
)
from pppflow.errors import BadInput

LEGAL_ENTITIES = ("cooperative", "foundation", "association")
# The order of the agreement; a section is left out when the spec gives it nothing to say.
SECTION_ORDER: tuple[str, ...] = (
    "parties", "recitals", "definitions", "goals", "organisation", "roles", "communication", "checkins",
    "phases", "result_obligations", "effort_obligations", "contributions", "governance",
    "intellectual_property", "confidentiality", "term", "disputes", "final_provisions", "signatures",
)
UNNUMBERED = frozenset({"parties", "recitals", "signatures"})


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _parties(partners: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    parties = []
    for number, partner in enumerate(partners, start=1):
        signatory = partner.get("signatory") or {}
        contact = partner.get("contact") or {}
        parties.append({
            "number": number,
            "key": partner["key"],
            "name": str(partner["name"]),
            "kind": str(partner.get("kind") or "other"),
            "address": _text(partner.get("address")),
            "registration_number": _text(partner.get("registration_number")),
            "signatory_name": _text(signatory.get("name")),
            "signatory_title": _text(signatory.get("title")),
            "contact_name": _text(contact.get("name")),
            "contact_email": _text(contact.get("email")),
        })
    return parties


def _goals(goals: list[Mapping[str, Any]], names: Mapping[str, str], locale: str) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "key": goal.get("key"),
            "statement": str(goal.get("statement") or ""),
            "indicators": [str(i) for i in goal.get("indicators") or []],
            "target_date": iso_date(goal.get("target_date")),
            "target_date_text": long_date(goal.get("target_date"), locale),
            "owners": [names.get(key, str(key)) for key in goal.get("owners") or []],
        }
        for number, goal in enumerate(goals, start=1)
    ]


def _obligation(item: Mapping[str, Any], names: Mapping[str, str], locale: str) -> dict[str, Any]:
    payment = item.get("payment")
    payment_view = None
    if payment:
        currency = str(payment.get("currency") or "EUR")
        payment_view = amount_view(to_decimal(payment.get("amount"), field="payment.amount"), currency, locale)
    return {
        "key": item.get("key"),
        "title": str(item.get("title") or item.get("key") or ""),
        "type": item.get("type"),
        "owner": item.get("owner"),
        "owner_name": names.get(str(item.get("owner")), str(item.get("owner"))),
        "phase": _text(item.get("phase")),
        "due": iso_date(item.get("due")),
        "due_text": long_date(item.get("due"), locale),
        "acceptance_criteria": _text(item.get("acceptance_criteria")),
        "payment": payment_view,
        "quality_guarantee": _text(item.get("quality_guarantee")),
        "effort": _text(item.get("effort")),
    }


def _signatures(
    parties: list[dict[str, Any]], signoffs: Sequence[Mapping[str, Any]], locale: str
) -> list[dict[str, Any]]:
    latest: dict[str, Mapping[str, Any]] = {}
    for each in signoffs:
        key = str(each.get("partner"))
        if key not in latest or each["signed_at"] >= latest[key]["signed_at"]:
            latest[key] = each
    blocks = []
    for party in parties:
        signoff = latest.get(party["key"])
        blocks.append({
            "partner": party["key"],
            "partner_name": party["name"],
            "name": _text(signoff.get("name")) if signoff else party["signatory_name"],
            "title": _text(signoff.get("title")) if signoff else party["signatory_title"],
            "signed": signoff is not None,
            "signed_on": iso_date(signoff["signed_at"]) if signoff else None,
            "signed_on_text": long_date(signoff["signed_at"], locale) if signoff else None,
            "method": _text(signoff.get("method")) if signoff else None,
        })
    return blocks


def _term(term: Mapping[str, Any] | None, locale: str) -> dict[str, Any] | None:
    if not term or not term.get("start"):
        return None
    months = int(term["months"]) if term.get("months") else None
    end = term_end(term["start"], months) if months else None
    return {
        "start": iso_date(term["start"]),
        "start_text": long_date(term["start"], locale),
        "months": months,
        "end": iso_date(end),
        "end_text": long_date(end, locale),
        "notice_days": int(term["notice_days"]) if term.get("notice_days") is not None else None,
        "renewal": str(term.get("renewal") or "manual"),
    }


def _checkins(checkins: Mapping[str, Any] | None, locale: str) -> dict[str, Any] | None:
    if not checkins or not checkins.get("cadence"):
        return None
    remind, grace = checkins.get("remind_days_before"), checkins.get("grace_days")
    return {
        **cadence_view(checkins["cadence"]),
        "first": iso_date(checkins.get("first")),
        "first_text": long_date(checkins.get("first"), locale),
        "remind_days": int(remind) if remind is not None else None,
        "grace_days": int(grace) if grace is not None else None,
    }


def _phases(obligations: list[dict[str, Any]], contributions: dict[str, Any] | None) -> list[dict[str, Any]]:
    keys = [o["phase"] for o in obligations if o["phase"]]
    keys += contributions["phase_keys"] if contributions else []
    ordered = [p for p in PHASES if p in keys] + [p for p in dict.fromkeys(keys) if p not in PHASES]
    totals = {p["phase"]: p["totals"] for p in contributions["phases"]} if contributions else {}
    return [
        {
            "phase": phase,
            "result_obligations": [o for o in obligations if o["phase"] == phase and o["type"] == "result"],
            "effort_obligations": [o for o in obligations if o["phase"] == phase and o["type"] == "effort"],
            "contribution_totals": totals.get(phase, []),
        }
        for phase in ordered
    ]


def _sections(present: Mapping[str, bool], prefix: str = "") -> tuple[list[dict[str, Any]], dict[str, int]]:
    sections: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    for key in SECTION_ORDER:
        if not present.get(key, True):
            continue
        number = None if key in UNNUMBERED else len(numbers) + 1
        if number is not None:
            numbers[key] = number
        sections.append({"key": key, "number": number, "anchor": f"{prefix}sec-{key.replace('_', '-')}"})
    return sections, numbers


def build_agreement_context(
    spec: dict[str, Any],
    *,
    lang: str,
    version: int,
    stage: str,
    signed: bool,
    signoffs: list[dict[str, Any]],
    generated_on: date,
    final: bool = False,
    languages: Sequence[str] | None = None,
    governing_language: str | None = None,
    translation_of: int | None = None,
) -> dict[str, Any]:
    """Turn a partnership spec into the view model that the agreement templates render.

    `languages` are all the languages of the version (`lang` is one of them); with more than one the version is
    bilingual and each language's anchors carry its code. `governing_language` (default: the spec's
    agreement.governing_language, else its language) is the one whose text prevails.
    """
    locale = locale_for(lang)
    languages = list(languages or [lang])
    governing = governing_language or (spec.get("agreement") or {}).get("governing_language") \
        or spec.get("language") or lang
    if not spec.get("name") or not spec.get("partners"):
        raise BadInput("an agreement needs the partnership name and at least one partner")
    parties = _parties(spec["partners"])
    names = {p["key"]: p["name"] for p in parties}
    obligations = [_obligation(o, names, locale) for o in spec.get("obligations") or []]
    contributions = build_contributions(spec.get("contributions") or [], names, locale)
    legal_form = _text(spec.get("legal_form"))
    legal_form = None if legal_form in (None, "none") else legal_form
    coordinator = spec.get("coordinator") or {}
    coordinator_view = (
        {"name": _text(coordinator.get("name")), "email": _text(coordinator.get("email"))}
        if _text(coordinator.get("name")) else None
    )
    context: dict[str, Any] = {
        "lang": lang,
        "locale": locale,
        "languages": languages,
        "bilingual": len(languages) > 1,
        "governing_language": governing,
        "translation_of": translation_of,
        "name": str(spec["name"]),
        "version": int(version),
        "stage": str(stage),
        "signed": bool(signed),
        # a final version awaits signatures: it says so, and only a draft carries the DRAFT watermark
        "final": bool(final) and not signed,
        "draft": not signed and not final,
        "generated_on": iso_date(generated_on),
        "generated_on_text": long_date(generated_on, locale),
        "building_block": _text(spec.get("building_block")),
        "region": _text(spec.get("region")),
        "legal_form": legal_form,
        "entity": ({"name": _text(spec["entity"].get("name")),
                    "registration_number": _text(spec["entity"].get("registration_number"))}
                   if isinstance(spec.get("entity"), Mapping) and _text(spec["entity"].get("name")) else None),
        "has_entity": legal_form in LEGAL_ENTITIES,
        "coordinator": coordinator_view,
        "parties": parties,
        "goals": _goals(spec.get("goals") or [], names, locale),
        "responsibilities": [
            {"partner": r.get("partner"), "partner_name": names.get(r.get("partner"), str(r.get("partner"))),
             "kind": next((p["kind"] for p in parties if p["key"] == r.get("partner")), "other"),
             "role": str(r.get("role") or "")}
            for r in spec.get("responsibilities") or []
        ],
        "channels": [
            {"kind": str(c.get("kind") or "other"), "description": str(c.get("description") or "")}
            for c in spec.get("channels") or []
        ],
        "contacts": [p for p in parties if p["contact_name"] or p["contact_email"]],
        "checkins": _checkins(spec.get("checkins"), locale),
        "result_obligations": [o for o in obligations if o["type"] == "result"],
        "effort_obligations": [o for o in obligations if o["type"] == "effort"],
        "contributions": contributions,
        "phases": _phases(obligations, contributions),
        "term": _term(spec.get("term"), locale),
        "signatures": _signatures(parties, signoffs, locale),
    }
    context["sections"], context["numbers"] = _sections({
        "goals": bool(context["goals"]),
        "organisation": legal_form is not None,
        "roles": bool(context["responsibilities"]),
        "communication": bool(context["channels"] or coordinator_view or context["contacts"]),
        "checkins": context["checkins"] is not None,
        "phases": bool(context["phases"]),
        "result_obligations": bool(context["result_obligations"]),
        "effort_obligations": bool(context["effort_obligations"]),
        "contributions": contributions is not None,
    }, prefix=f"{lang}-" if len(languages) > 1 else "")
    return context


def build_editions(spec: dict[str, Any], *, languages: Sequence[str], **options: Any) -> dict[str, Any]:
    """The view model of a version in one or more languages: the first language's, with `editions` holding every
    language's view model in order (the same articles and numbers, each in its own words)."""
    editions = [build_agreement_context(spec, lang=lang, languages=languages, **options) for lang in languages]
    return {**editions[0], "editions": editions}
