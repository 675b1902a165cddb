"""`pppflow lifecycle show|list`."""

from __future__ import annotations

from typing import Annotated

import typer

from pppflow.cli.context import JsonOption
from pppflow.cli.output import print_json
from pppflow.errors import BadInput

app = typer.Typer(no_args_is_help=True, help="Lifecycle definitions (workflows/*.yaml).")


@app.command("list")
def list_(json_: JsonOption = False) -> None:
    """The lifecycle definitions that are loaded."""
    from pppflow import bootstrap

    registry = bootstrap.wiring().lifecycles
    items = [{"name": n, "title": registry.get(n).definition.title, "source": registry.get(n).definition.source}
             for n in registry.names()]
    if json_:
        print_json(items)
    else:
        for item in items:
            typer.echo(f"{item['name']:28} {item['title']}")


@app.command()
def show(name: Annotated[str | None, typer.Argument(help="Definition name (default: the partnership's, "
                                                          "or ppp-lifecycle).")] = None,
         partnership: Annotated[str | None, typer.Option(
             "--partnership", help="Mark this partnership's stage.")] = None,
         fmt: Annotated[str, typer.Option("--format", help="text or mermaid")] = "text") -> None:
    """Show a lifecycle's stages and triggers, the current stage marked."""
    from pppflow import bootstrap
    from pppflow.domain.lifecycle_diagram import as_mermaid, as_text

    if fmt not in ("text", "mermaid"):
        raise BadInput(f"unknown format {fmt!r}", details=["use text or mermaid"])
    current = None
    if partnership:
        from pppflow.services.partnerships import show_partnership

        w = bootstrap.wiring()
        p = show_partnership(partnership, uow=w.uow(), lifecycles=w.lifecycles).partnership
        current, name = p.stage, name or p.workflow
        if name != p.workflow:
            raise BadInput(f"partnership {partnership!r} follows {p.workflow!r}, not {name!r}")
    definition = bootstrap.wiring().lifecycles.get(name or "ppp-lifecycle").definition
    typer.echo((as_mermaid if fmt == "mermaid" else as_text)(definition, current), nl=False)
