"""A readable diff of two agreement versions, article by article, from their HTML."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser


class _Articles(HTMLParser):
    """Collects the text of every `<section id=...>` (an article), headings first."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.articles: list[tuple[str, list[str]]] = []
        self._depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "section":
            if self._depth == 0:
                self.articles.append((dict(attrs).get("id") or f"section-{len(self.articles) + 1}", []))
            self._depth += 1
        elif self._depth and tag in ("p", "li", "tr", "h2", "h3", "h4", "div", "br", "dt", "dd"):
            self.articles[-1][1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        if self._depth and tag == "span":  # "Artikel 8" and its title are two spans: keep a space between them
            self.articles[-1][1].append(" ")
        if tag == "section" and self._depth:
            self._depth -= 1
        elif self._depth and tag in ("td", "th"):
            self.articles[-1][1].append(" | ")

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self.articles[-1][1].append(data)


# What happened to an article, in the words of the agreement's language.
CHANGE_WORDS = {"en": {"added": "added", "removed": "removed", "changed": "changed",
                       "same": "versions {old} and {new} have the same text"},
                "nl": {"added": "toegevoegd", "removed": "verwijderd", "changed": "gewijzigd",
                       "same": "versies {old} en {new} hebben dezelfde tekst"}}


def change_words(lang: str) -> dict[str, str]:
    """The diff's words in the agreement's language (English for a language without its own)."""
    return CHANGE_WORDS.get(lang, CHANGE_WORDS["en"])


@dataclass(frozen=True)
class ArticleDiff:
    article: str
    change: str  # added, removed, changed
    lines: list[str]
    change_label: str = ""  # `change` in the agreement's language


def articles_from_html(html: str) -> dict[str, list[str]]:
    """Article id -> its text lines, whitespace normalised."""
    parser = _Articles()
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for anchor, parts in parser.articles:
        lines = [re.sub(r"\s+", " ", line).strip(" |") for line in "".join(parts).split("\n")]
        out[anchor] = [line for line in lines if line]
    return out


def diff_articles(old_html: str, new_html: str, *, old_label: str, new_label: str,
                  lang: str = "en") -> list[ArticleDiff]:
    """The articles that differ, each with a unified diff of its text."""
    old, new = articles_from_html(old_html), articles_from_html(new_html)
    diffs = []
    for anchor in list(old) + [a for a in new if a not in old]:
        a, b = old.get(anchor), new.get(anchor)
        if a == b:
            continue
        title = (b or a or [anchor])[0]
        change = "added" if a is None else "removed" if b is None else "changed"
        lines = list(difflib.unified_diff(a or [], b or [], fromfile=old_label, tofile=new_label, lineterm="", n=1))
        diffs.append(ArticleDiff(title, change, lines[2:], change_words(lang)[change]))
    return diffs
