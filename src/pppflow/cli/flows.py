"""`pppflow flows run|list` and `pppflow serve`: the jobs through Prefect. Prefect is imported inside commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pppflow.cli.context import JsonOption, parse_day
from pppflow.cli.output import console, escape, print_json
from pppflow.errors import BadInput, Unavailable

if TYPE_CHECKING:  # imported lazily at run time: the CLI starts fast
    from rich.table import Table

flows_app = typer.Typer(no_args_is_help=True, help="Run the jobs through Prefect (a temporary server if none is "
                                                   "configured with PREFECT_API_URL).")


@flows_app.command("list")
def list_(json_: JsonOption = False) -> None:
    """The flows `pppflow flows run` knows."""
    from pppflow.flows import FLOWS

    if json_:
        print_json([{"name": name, "entrypoint": path} for name, path in FLOWS.items()])
    else:
        for name, path in FLOWS.items():
            typer.echo(f"{name:26} {path}")


@flows_app.command("run")
def run(name: Annotated[str, typer.Argument(help="send_checkin_reminders, send_renewal_notices or "
                                                 "generate_agreements")],
        as_of: Annotated[str | None, typer.Option("--as-of", help="The day, YYYY-MM-DD (reminder flows; "
                                                                  "default: today).")] = None,
        ref: Annotated[list[str] | None, typer.Option("--ref", help="A partnership (generate_agreements; "
                                                                    "repeat for several).")] = None,
        json_: JsonOption = False) -> None:
    """Run one flow now, through Prefect, and print its result."""
    import importlib

    from pppflow.cli.output import err_console
    from pppflow.config import environ_for_prefect, get_settings
    from pppflow.flows import FLOWS
    from pppflow.flows.runtime import prefect_environment, running_server

    if name not in FLOWS:
        raise BadInput(f"unknown flow {name!r}", details=[f"flows: {', '.join(FLOWS)}"])
    day = parse_day(as_of, "--as-of")
    if name == "generate_agreements" and not ref:
        raise BadInput("generate_agreements needs at least one --ref")
    home = get_settings().home
    prefect_environment(home)
    env = environ_for_prefect()
    served = None if env.get("PREFECT_API_URL") else running_server(home)
    if served:  # the server of a running `pppflow serve`: no temporary one to start
        env["PREFECT_API_URL"] = served
        err_console.print(f"using the Prefect server of the running `pppflow serve` ({escape(served)})")
    waiting = "starting a temporary Prefect server and running" if not env.get("PREFECT_API_URL") else "running"
    module, attribute = FLOWS[name].split(":")
    with err_console.status(f"{waiting} {name}…"):
        if not err_console.is_terminal:  # no spinner: say it once, before the wait
            err_console.print(f"{waiting} {name}…")
        job = getattr(importlib.import_module(module), attribute)
        try:
            result = job(refs=list(ref or [])) if name == "generate_agreements" else job(
                as_of=day.isoformat() if day else None)
        except RuntimeError as exc:
            if "ephemeral Prefect API server" not in str(exc):
                raise
            raise Unavailable("the temporary Prefect server did not start in time; nothing was run", details=[
                "give it longer with PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (now "
                f"{environ_for_prefect().get('PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS')} s), "
                "or start `pppflow serve` with the same PPPFLOW_HOME: `flows run` then uses its server"]) from None
    if json_:
        print_json(result)
    else:
        console.print(result_table(name, result))


def result_table(name: str, result: object) -> Table:
    """A flow's result as a table of what it did (nested counts as `outer.inner`), not a Python dict."""
    from rich.table import Table

    table = Table(title=f"{name}: done", title_justify="left")
    table.add_column("What")
    table.add_column("Count", justify="right")

    def rows(value: object, prefix: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                rows(inner, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list | tuple):
            table.add_row(escape(prefix.replace("_", " ")), escape(", ".join(str(x) for x in value)) or "-")
        else:
            table.add_row(escape(prefix.replace("_", " ") or "result"), escape(str(value)))

    rows(result, "")
    return table


def serve(at: Annotated[str, typer.Option("--at", help="The daily time of the reminder jobs, HH:MM.")] = "07:00",
          timezone: Annotated[str, typer.Option("--timezone", help="The time zone of --at (IANA name).")] = "UTC",
          port: Annotated[int, typer.Option("--port", help="The port of the local Prefect server and UI.")] = 4200,
          host: Annotated[str, typer.Option("--host", help="The address the Prefect server listens on.")] = "127.0.0.1",
          web_port: Annotated[int, typer.Option("--web-port", help="The port of pppflow's web app (0: no web app).")]
          = 8000,
          ) -> None:
    """Run pppflow on this machine: the web app, a local Prefect server and the daily reminder jobs, until Ctrl-C."""
    import signal
    import subprocess
    import sys

    from pppflow.config import environ_for_prefect, get_settings
    from pppflow.flows.runtime import prefect_environment

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)  # SIGTERM stops everything cleanly, as Ctrl-C does
    check_time(at)
    check_timezone(timezone)
    home = get_settings().home
    prefect_environment(home)
    prefect_home = environ_for_prefect()["PREFECT_HOME"]
    console.print(f"starting a Prefect server (its database is under {escape(prefect_home)}) ...")
    web = None
    if web_port:  # the web app in its own process, so that a slow schedule never blocks a page
        web = subprocess.Popen([sys.executable, "-m", "pppflow", "web", "--host", host, "--port", str(web_port)])
        console.print(f"pppflow web app: http://{host}:{web_port}")
    try:
        _serve_schedules(home, host=host, port=port, at=at, timezone=timezone)
    finally:
        if web is not None:
            web.terminate()
            web.wait(30)
    console.print("stopped: the web app, the Prefect server and the schedules.")


def _serve_schedules(home: Path, *, host: str, port: int, at: str, timezone: str) -> None:
    from pppflow.config import environ_for_prefect
    from pppflow.flows.runtime import forget_server, local_server, note_server

    with local_server(home, host=host, port=port) as api_url:
        environ_for_prefect()["PREFECT_API_URL"] = api_url
        note_server(home, api_url)  # `flows run` with this home reuses this server
        console.print(f"Prefect UI: http://{host}:{port}   (API {api_url})")
        console.print(f"send_checkin_reminders and send_renewal_notices run daily at {at} {escape(timezone)}; "
                      "generate_agreements on demand. Ctrl-C stops the schedules and the server.")
        from pppflow.flows.schedules import serve_schedules

        try:
            serve_schedules(at=at, timezone=timezone)
        except KeyboardInterrupt:
            pass
        finally:
            forget_server(home)


def check_time(at: str) -> None:
    """`HH:MM`, or BadInput."""
    hour, sep, minute = at.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60
            and len(minute) == 2):
        raise BadInput(f"--at must be a time HH:MM, not {at!r}")


def check_timezone(name: str) -> None:
    """An IANA time zone name, or BadInput."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"unknown time zone {name!r}", details=["use an IANA name such as Europe/Amsterdam"]) from None
