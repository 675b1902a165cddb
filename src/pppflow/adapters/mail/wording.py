"""The words of reminder mail per language, read from `mail_texts/<language>.yaml` beside this module.

Every language file has the same keys and the same placeholders in each text (tests/unit/test_mail_wording.py).
A language without a file falls back to English. Dates are formatted by Babel in the language's locale, the one
the agreements use (`domain.agreement_format.LOCALES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date

from pppflow.domain.agreement.formatting import LOCALES
from pppflow.errors import ConfigError

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages that have mail texts, e.g. `("en", "nl")`."""
    return tuple(sorted(path.stem for path in TEXTS_DIR.glob("*.yaml")))


def language_of(language: str | None) -> str:
    """`nl`, `NL` and `nl_NL` give `nl`; a language without mail texts (or none) gives English."""
    code = str(language or "").strip().replace("-", "_").split("_")[0].lower()
    return code if code in languages() else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Wording:
    """The mail texts of one language and the Babel locale its dates are written in."""

    language: str
    locale: str
    texts: dict[str, Any]

    def has(self, *path: str) -> bool:
        """Whether the texts have this key."""
        node: Any = self.texts
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def node(self, *path: str) -> Any:
        """The value at a key path; ConfigError names the file and key when it is missing."""
        if not self.has(*path):
            raise ConfigError(f"mail texts {self.language}.yaml have no {'.'.join(path)!r}")
        node: Any = self.texts
        for part in path:
            node = node[part]
        return node

    def text(self, *path: str, **values: Any) -> str:
        """One text with its placeholders filled; a text with `one` and `other` forms is chosen by `count`."""
        template = self.node(*path)
        if isinstance(template, dict):
            template = template.get("one" if values.get("count") == 1 else "other")
        return self._fill(template, path, values)

    def paragraphs(self, *path: str, **values: Any) -> tuple[str, ...]:
        """A list of texts, each filled."""
        return tuple(self._fill(template, path, values) for template in self.node(*path))

    def date(self, day: date, *, weekday: bool = False) -> str:
        """`15 januari 2027`, or with the weekday `vrijdag 15 januari 2027`, in the language's locale."""
        return format_date(day, self.text("dates", "weekday" if weekday else "long"), locale=self.locale)

    def _fill(self, template: Any, path: tuple[str, ...], values: dict[str, Any]) -> str:
        # str.format inserts values as they are: a title with braces in it is never read as a placeholder
        try:
            return str(template).format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"mail texts {self.language}.yaml: {'.'.join(path)!r} cannot be filled: {exc!r}",
                              details=[f"values given: {', '.join(sorted(values)) or 'none'}"]) from exc


def wording(language: str | None) -> Wording:
    """The wording for a partnership's language, English when there is none for it."""
    return _load(language_of(language))


@cache
def _load(language: str) -> Wording:
    path = TEXTS_DIR / f"{language}.yaml"
    try:
        texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the mail texts {path.name}: {exc}") from exc
    if not isinstance(texts, dict):
        raise ConfigError(f"mail texts {path.name}: expected a mapping of texts")
    return Wording(language, LOCALES.get(language, language), texts)
