"""`pppflow`: the root command, its groups, and the one place where errors become exit codes.

Exit codes: 0 done, 1 blocked or not allowed, 2 bad input, 3 not found, 4 conflict.
"""

from __future__ import annotations

import sys

import typer

from pppflow.cli import (
    agreement, annual_report, audit, checkins, demo, evidence, flows, health, ledger, lifecycle, maturity, partnership,
    records, reminders, report, user, web,
)
from pppflow.errors import PppflowError, unavailable_from, value_refused

app = typer.Typer(
    name="pppflow", no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
    help="A workflow engine for public-private partnerships in education.",
)
app.add_typer(partnership.app, name="partnership")
app.add_typer(records.goal_app, name="goal")
app.add_typer(records.obligation_app, name="obligation")
records.obligation_app.command("attach")(evidence.attach)
app.add_typer(records.signoff_app, name="signoff")
app.add_typer(records.partner_app, name="partner")
app.add_typer(agreement.app, name="agreement")
app.add_typer(lifecycle.app, name="lifecycle")
app.add_typer(audit.app, name="audit")
app.add_typer(checkins.checkin_app, name="checkin")
app.add_typer(checkins.checkins_app, name="checkins")
app.command("remind")(reminders.remind)
app.add_typer(reminders.outbox_app, name="outbox")
app.add_typer(flows.flows_app, name="flows")
app.command("serve")(flows.serve)
app.command("demo")(demo.demo)
app.add_typer(user.app, name="user")
app.command("web")(web.web)
app.add_typer(ledger.app, name="ledger")
app.add_typer(report.app, name="report")
report.app.command("annual")(annual_report.annual)
app.add_typer(maturity.app, name="maturity")
app.command("health")(health.health)


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
        app()  # standalone: Typer reports usage errors itself, with exit code 2
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
