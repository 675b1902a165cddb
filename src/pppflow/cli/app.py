"""`pppflow`: the root command, its groups, and the one place where errors become exit codes.

Exit codes: 0 done, 1 blocked or not allowed, 2 bad input, 3 not found, 4 conflict.
"""

from __future__ import annotations

import sys

import typer

from pppflow.errors import PppflowError, unavailable_from, value_refused

# Every command of the root, in the order `pppflow --help` lists them: name -> (module in pppflow.cli, attribute,
# a group of commands or one command). A run imports only the module of the command it runs.
_COMMANDS: dict[str, tuple[str, str, bool]] = {
    "partnership": ("partnership", "app", True),
    "goal": ("records", "goal_app", True),
    "obligation": ("records", "obligation_app", True),
    "signoff": ("records", "signoff_app", True),
    "partner": ("records", "partner_app", True),
    "agreement": ("agreement", "app", True),
    "lifecycle": ("lifecycle", "app", True),
    "audit": ("audit", "app", True),
    "checkin": ("checkins", "checkin_app", True),
    "checkins": ("checkins", "checkins_app", True),
    "remind": ("reminders", "remind", False),
    "outbox": ("reminders", "outbox_app", True),
    "flows": ("flows", "flows_app", True),
    "serve": ("flows", "serve", False),
    "demo": ("demo", "demo", False),
    "user": ("user", "app", True),
    "web": ("web", "web", False),
    "ledger": ("ledger", "app", True),
    "report": ("report", "app", True),
    "maturity": ("maturity", "app", True),
    "health": ("health", "health", False),
}


def _new_root() -> typer.Typer:
    root = typer.Typer(
        name="pppflow", no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
        help="A workflow engine for public-private partnerships in education.",
    )

    @root.callback()
    def _root() -> None:  # a group even when only one command is registered, so `pppflow NAME ...` keeps NAME
        pass

    return root


def _register(root: typer.Typer, name: str) -> None:
    from importlib import import_module

    module_name, attribute, is_group = _COMMANDS[name]
    target = getattr(import_module(f"pppflow.cli.{module_name}"), attribute)
    if name == "obligation" and all(c.name != "attach" for c in target.registered_commands):
        from pppflow.cli.evidence import attach

        target.command("attach")(attach)
    if name == "report" and all(c.name != "annual" for c in target.registered_commands):
        from pppflow.cli.annual_report import annual

        target.command("annual")(annual)
    if is_group:
        root.add_typer(target, name=name)
    else:
        root.command(name)(target)


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The root command with the command that `argv` runs, or with every command (for `--help`, no command, or
    a name that needs the list of commands to be answered)."""
    args = sys.argv[1:] if argv is None else argv
    root = _new_root()
    wanted = args[0] if args and args[0] in _COMMANDS else None
    for name in [wanted] if wanted else _COMMANDS:
        _register(root, name)
    return root


def _debug() -> bool:
    """PPPFLOW_DEBUG: show the traceback of an internal error (false when the settings themselves are broken)."""
    from pppflow.config import get_settings
    from pppflow.errors import ConfigError

    try:
        return get_settings().debug
    except ConfigError:
        return False


def main() -> None:
    """Run the CLI; a user's mistake is a message and an exit code, never a traceback."""
    from pppflow.cli.output import print_error, print_json

    try:
        build_app()()  # standalone: Typer reports usage errors itself, with exit code 2
    except PppflowError as exc:
        from pppflow.cli.hints import cli_details

        if "--json" in sys.argv:
            print_json(exc.to_dict())
        print_error(exc.message, cli_details(exc.details, exc.hint))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print_error("interrupted; nothing was saved by the unfinished command", [])
        sys.exit(1)
    except Exception as exc:  # a bug, not a user's mistake: say so, keep the traceback for debugging
        from sqlalchemy.exc import DataError

        if isinstance(exc, DataError):  # a value the database refused (a NUL character): the input's fault
            refused = value_refused(exc)
            print_error(refused.message, refused.details)
            sys.exit(refused.exit_code)
        unavailable = unavailable_from(exc)  # a full disk or a locked database: a clear message, exit 1
        if unavailable is not None:
            print_error(unavailable.message, unavailable.details)
            sys.exit(unavailable.exit_code)
        if _debug():
            raise
        print_error(f"internal error: {type(exc).__name__}: {exc}",
                    ["this is a bug in pppflow; run again with PPPFLOW_DEBUG=1 for the traceback"])
        sys.exit(1)
