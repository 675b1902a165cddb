"""The mail texts per language (adapters/mail_texts/*.yaml): the same keys and placeholders everywhere."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

import pytest
import yaml

from pppflow.adapters.mail.wording import TEXTS_DIR, Wording, language_of, languages, wording
from pppflow.errors import ConfigError


class _StrictLoader(yaml.SafeLoader):
    """Refuses a key given twice in one mapping (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        repeated = {k for k in keys if keys.count(k) > 1}
        assert not repeated, f"repeated keys {repeated} at line {node.start_mark.line + 1}"
        return super().construct_mapping(node, deep=deep)


def texts(language: str) -> dict[str, Any]:
    return yaml.load((TEXTS_DIR / f"{language}.yaml").read_text(encoding="utf-8"), Loader=_StrictLoader)


def placeholders(node: Any, path: str = "") -> dict[str, set[str]]:
    """Every key path and the placeholders its text uses (a list of paragraphs counts as one text)."""
    if isinstance(node, dict):
        found: dict[str, set[str]] = {}
        for key, value in node.items():
            found |= placeholders(value, f"{path}.{key}" if path else str(key))
        return found
    parts = node if isinstance(node, list) else [node]
    return {path: {name for part in parts for _, name, _, _ in string.Formatter().parse(str(part)) if name}}


def test_english_and_dutch_are_shipped() -> None:
    assert languages() == ("en", "nl")


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_language_has_the_keys_and_placeholders_of_english(language: str) -> None:
    english, other = placeholders(texts("en")), placeholders(texts(language))
    assert sorted(other) == sorted(english)
    assert {k: v for k, v in other.items() if v != english[k]} == {}


def test_placeholders_are_named_never_positional() -> None:
    for language in languages():
        for path, names in placeholders(texts(language)).items():
            assert all(name.isidentifier() for name in names), (language, path, names)


@pytest.mark.parametrize(("given", "expected"), [
    ("nl", "nl"), ("NL", "nl"), ("nl_NL", "nl"), ("nl-BE", "nl"), ("en", "en"),
    ("fr", "en"), ("", "en"), (None, "en"), ("../../etc/passwd", "en"),
])
def test_a_language_without_mail_texts_falls_back_to_english(given: str | None, expected: str) -> None:
    assert language_of(given) == expected
    assert wording(given).language == expected


@pytest.mark.parametrize(("language", "weekday", "expected"), [
    ("nl", True, "dinsdag 12 januari 2027"), ("nl", False, "12 januari 2027"),
    ("en", True, "Tuesday 12 January 2027"), ("en", False, "12 January 2027"),
])
def test_dates_are_written_in_the_locale_of_the_language(language: str, weekday: bool, expected: str) -> None:
    assert wording(language).date(date(2027, 1, 12), weekday=weekday) == expected


def test_counts_choose_the_singular_or_plural_form() -> None:
    assert [wording("nl").text("days", count=n) for n in (1, 3)] == ["1 dag", "3 dagen"]
    assert [wording("en").text("days", count=n) for n in (1, 90)] == ["1 day", "90 days"]


def test_values_are_inserted_as_they_are_never_read_as_placeholders() -> None:
    assert wording("nl").text("signature", partnership="{partnership} {0}") == "pppflow, namens {partnership} {0}"


def test_a_text_with_an_unknown_placeholder_or_key_is_a_config_error() -> None:
    broken = Wording("xx", "en_GB", {"signature": "pppflow, on behalf of {partnership_name}"})
    with pytest.raises(ConfigError, match="'signature' cannot be filled"):
        broken.text("signature", partnership="Pact")
    with pytest.raises(ConfigError, match="have no 'reply_to'"):
        broken.text("reply_to")
