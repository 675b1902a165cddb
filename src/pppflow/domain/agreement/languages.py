"""The languages of an agreement version: one, or several in one bilingual document; which one governs.

A version whose languages include the governing language is an original: it can be signed, and signing it binds
every text it holds. A version in other languages only is a courtesy translation of an original with the same
content: it is never signed itself, and its validity follows its original.
"""

from __future__ import annotations

from collections.abc import Sequence

from pppflow.domain.model import AgreementVersion, Partnership
from pppflow.errors import BadInput

SUPPORTED = ("en", "nl")
NAMES = {"en": "English", "nl": "Dutch"}


def parse_languages(value: str | Sequence[str] | None, default: str) -> tuple[str, ...]:
    """`nl,en` (or ["nl", "en"]) as a tuple of languages in the order given; None: the default language."""
    if value is None or value == "" or value == []:
        return (default,)
    items = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(x, str) for x in items):
        raise BadInput("a language is a code such as en or nl")
    langs = tuple(x.strip() for x in items)
    unknown = [x for x in langs if x not in SUPPORTED]
    if unknown:
        raise BadInput(f"unknown language {unknown[0][:20]!r}",
                       details=[f"use {' or '.join(SUPPORTED)}, or both for a bilingual version: nl,en"])
    if len(set(langs)) != len(langs):
        raise BadInput(f"a language is named twice in {','.join(langs)!r}")
    return langs


def code(languages: Sequence[str]) -> str:
    """How a version stores its languages: `nl` or `nl,en`."""
    return ",".join(languages)


def languages_of(v: AgreementVersion) -> tuple[str, ...]:
    return tuple(v.language.split(","))


def governing_language(p: Partnership) -> str:
    """The language whose text prevails: the spec's agreement.governing_language, else the partnership's."""
    return p.governing_language or p.language


def is_translation(v: AgreementVersion) -> bool:
    return v.translation_of is not None
