"""`pppflow health REF|list`: the explained health score of a partnership, or of the portfolio, worst first."""

from __future__ import annotations

from typing import Annotated

import typer

from pppflow.cli.context import JsonOption, parse_day
from pppflow.cli.output import console, escape, print_read


def health(ref: Annotated[str, typer.Argument(help="The partnership's reference (REF), or `list` for the whole "
                                                    "portfolio, worst first.")],
           as_of: Annotated[str | None, typer.Option("--as-of", help="The day to score, YYYY-MM-DD (default: "
                                                                     "today).")] = None,
           json_: JsonOption = False) -> None:
    """A score 0-100 and a band (healthy, attention, at_risk), each component with its value, weight and why."""
    from rich.table import Table

    from pppflow import bootstrap
    from pppflow.services.health import partnership_health, portfolio_health

    day = bootstrap.wiring().day(parse_day(as_of, "--as-of"))
    files = bootstrap.wiring().assessment_files
    if ref == "list":
        items = portfolio_health(uow=bootstrap.wiring().uow(), files=files, lifecycles=bootstrap.wiring().lifecycles,
                                 as_of=day)
        if json_:
            from pppflow.services.read_models.assessment import PortfolioHealthRead

            print_read(PortfolioHealthRead, {"as_of": day, "partnerships": [h.as_dict() for h in items]})
            return
        table = Table(title=f"Health of the portfolio on {day} (worst first)")
        for col in ("partnership", "stage", "score", "band", "weakest"):
            table.add_column(col)
        for h in items:
            weakest = h.weakest
            table.add_row(escape(h.ref), escape(h.stage), str(h.score), h.band,
                          escape(weakest.sentence) if weakest else "")
        console.print(table)
        return
    h = partnership_health(ref, uow=bootstrap.wiring().uow(), files=files, as_of=day)
    if json_:
        from pppflow.services.read_models.assessment import HealthRead

        print_read(HealthRead, h.as_dict())
        return
    console.print(f"{escape(ref)}: health {h.score} ({h.band}) on {day}")
    table = Table()
    for col in ("component", "value", "weight", "why"):
        table.add_column(col)
    for c in h.components:
        table.add_row(c.key, "-" if c.value is None else str(c.value), str(c.weight) if c.value is not None
                      else "not counted", escape(c.sentence))
    console.print(table)
