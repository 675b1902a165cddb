"""Jinja filters that turn clause texts (from clauses/<lang>.yaml) into safe HTML.

A clause text is trusted less than the template: it is escaped first, then `**term**` becomes bold and each
`{name}` placeholder is replaced, once, by an escaped value. A value is never parsed again, so a field holding
`{{ 7*7 }}`, `{other}` or `<script>` prints literally.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2 import UndefinedError
from markupsafe import Markup, escape

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def fill(text: Any, **values: Any) -> Markup:
    """Escape a clause text, mark **bold** terms and substitute its {placeholders} with escaped values."""
    html = _BOLD.sub(r"<strong>\1</strong>", str(escape(str(text))))

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            raise UndefinedError(f"clause text needs a value for {{{name}}}: {str(text)[:60]!r}")
        return str(escape(values[name]))

    return Markup(_PLACEHOLDER.sub(value, html))


def label(key: Any, mapping: Mapping[str, Any], field: str | None = None) -> Any:
    """Look a code (a partner kind, a unit) up in a label table; an unknown code prints in readable form."""
    entry = mapping.get(key) if isinstance(mapping, Mapping) else None
    if entry is None:
        return str(key).replace("_", " ")
    if field is not None:
        return entry[field] if isinstance(entry, Mapping) and field in entry else str(key).replace("_", " ")
    return entry


def plural(count: int, forms: Mapping[str, str]) -> Markup:
    """Choose the `one` or `other` form of a counted phrase ("1 day", "3 days") and fill in {n}."""
    return fill(forms["one" if count == 1 else "other"], n=count)


def join_and(items: list[Any], conjunction: str) -> Markup:
    """Join names as "A, B and C" (the conjunction comes from the clause file)."""
    parts = [escape(item) for item in items]
    if len(parts) <= 1:
        return Markup("".join(parts))
    return Markup(", ").join(parts[:-1]) + Markup(f" {escape(conjunction)} ") + parts[-1]


FILTERS = {"fill": fill, "label": label, "plural": plural, "join_and": join_and}
