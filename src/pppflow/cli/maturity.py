"""`pppflow maturity template|assess|show`: the partners' maturity self-assessment by the Knowledge Package
stations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name, read_document
from pppflow.cli.output import console, escape, print_read

app = typer.Typer(no_args_is_help=True, help="Maturity self-assessment per partner, by station.")

Ref = Annotated[str, typer.Argument(help="The partnership's reference (REF).")]
Partner = Annotated[str, typer.Option("--partner", help="The partner's key, as in the spec.")]


@app.command("template")
def template(ref: Ref, partner: Partner,
             lang: Annotated[str | None, typer.Option("--lang", help="nl or en (default: the partnership's "
                                                                     "language).")] = None) -> None:
    """Print the answers file a partner fills in (YAML): every statement, level null."""
    import yaml

    from pppflow import bootstrap
    from pppflow.services.maturity import answers_template

    w = bootstrap.wiring()
    doc = answers_template(ref, partner, uow=w.uow(), files=w.assessment_files, lang=lang)
    answers = doc.pop("answers")
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10_000)
    lines = [text.rstrip("\n"), "answers:"]
    for a in answers:  # one flow mapping per statement, as the issue shows it
        lines.append("  - " + yaml.safe_dump(a, sort_keys=False, allow_unicode=True, default_flow_style=True,
                                             width=10_000).strip())
    typer.echo("\n".join(lines))


@app.command("assess")
def assess(ref: Ref, partner: Partner,
           file: Annotated[Path, typer.Option("--file", help="The filled-in answers file (YAML or JSON; '-' for "
                                                            "stdin).")],
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Record one round of a partner's answers (recorded as on the partner's behalf); all or nothing."""
    from pppflow import bootstrap
    from pppflow.services.maturity import record_round

    rnd = record_round(ref, partner, read_document(file), uow=bootstrap.wiring().uow(),
                       files=bootstrap.wiring().assessment_files, actor=actor_name(actor), now=bootstrap.wiring().now(),
                       on_behalf=True)
    if json_:
        from pppflow.services.read_models.assessment import MaturityRoundRead
        from pppflow.services.views import maturity_round_view

        print_read(MaturityRoundRead, maturity_round_view(ref, rnd))
        return
    console.print(f"{escape(ref)}: maturity round {rnd.number} of {escape(partner)} recorded "
                  f"({len(rnd.answers)} statements, {rnd.framework})")


@app.command("show")
def show(ref: Ref, json_: JsonOption = False,
         lang: Annotated[str | None, typer.Option("--lang", help="nl or en.")] = None) -> None:
    """Per station and partner the latest level, the change since the previous round, and disagreements."""
    from rich.table import Table

    from pppflow import bootstrap
    from pppflow.services.maturity import maturity_overview

    view, rounds = maturity_overview(ref, uow=bootstrap.wiring().uow(), files=bootstrap.wiring().assessment_files,
                                     lang=lang)
    if json_:
        from pppflow.services.read_models.assessment import MaturityRead
        from pppflow.services.views import maturity_view

        print_read(MaturityRead, maturity_view(ref, view))
        return
    if not rounds:
        console.print(f"{escape(ref)}: no maturity round recorded yet "
                      f"(see `pppflow maturity template {escape(ref)} --partner KEY`)")
        return
    partners = sorted({k for s in view.stations for k in s.per_partner})
    table = Table(title=f"{escape(ref)}: maturity ({escape(view.framework.key)}, {view.rounds} rounds)")
    table.add_column("station")
    for k in partners:
        table.add_column(escape(k))
    for s in view.stations:
        cells = []
        for k in partners:
            cell = s.per_partner.get(k)
            if cell is None:
                cells.append("-")
                continue
            change = cell["change"]
            trend = "" if change is None else f" ({change:+.2f})"
            cells.append(f"{cell['level']}{trend}")
        table.add_row(f"{s.number}. {escape(s.title)}", *cells)
    console.print(table)
    for line in view.disagreements:
        console.print(f"  disagreement: {escape(line)}")
