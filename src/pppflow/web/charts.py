"""Small server-rendered SVG charts that read without JavaScript: each has a title and a text alternative."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup, escape

BAND_COLOURS = {"healthy": "#1a7f37", "attention": "#9a6700", "at_risk": "#cf222e"}


def sparkline(points: list[tuple[date, int]], *, width: int = 120, height: int = 28) -> Markup:
    """A 0-100 line over the points, oldest left; its `<title>` lists every value for screen readers."""
    if not points:
        return Markup("")
    step = width / max(1, len(points) - 1)
    coords = " ".join(f"{i * step:.1f},{height - 2 - (v / 100) * (height - 4):.1f}" for i, (_, v) in enumerate(points))
    words = ", ".join(f"{d:%b %Y} {v}" for d, v in points)
    last_x, last_y = coords.split(" ")[-1].split(",")
    return Markup(
        f'<svg class="sparkline" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape('Health score by month: ' + words)}</title>"
        f'<polyline fill="none" stroke="#0b5394" stroke-width="1.5" points="{coords}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="#0b5394"/></svg>')


def station_bars(stations: list[dict[str, Any]], levels: tuple[str, ...], *, width: int = 520) -> Markup:
    """Per station a bar per partner at its latest level; `stations` as in the maturity overview's JSON."""
    partners = sorted({k for s in stations for k in s["partners"]})
    if not partners:
        return Markup("")
    bar, gap, label_w = 14, 6, 200
    rows = []
    y = 4
    top = len(levels) - 1
    for s in stations:
        rows.append(f'<text x="0" y="{y + 11}" class="station">{escape(str(s["station"]))}. '
                    f'{escape(str(s["title"]))[:38]}</text>')
        y += 16
        for k in partners:
            cell = s["partners"].get(k)
            if cell is None:
                continue
            share = (levels.index(cell["level"]) + 1) / (top + 1)
            w = (width - label_w - 90) * share
            rows.append(f'<text x="12" y="{y + 11}">{escape(k)}</text>'
                        f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#0b5394"/>'
                        f'<text x="{label_w + w + 4:.1f}" y="{y + 11}">{escape(cell["level"])}</text>')
            y += bar + gap
        y += 4
    return Markup(f'<svg class="bars" role="img" aria-labelledby="maturity-table" width="{width}" height="{y}" '
                  f'viewBox="0 0 {width} {y}">' + "".join(rows) + "</svg>")
