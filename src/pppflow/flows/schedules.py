"""The schedules served on one machine: the daily reminder jobs, and agreements on demand."""

from __future__ import annotations

import asyncio
from typing import Any

from prefect.runner import Runner
from prefect.schedules import Cron

from pppflow.flows.agreements import generate_agreements
from pppflow.flows.reminders import send_checkin_reminders, send_renewal_notices
from pppflow.flows.reports import produce_annual_reports

# The annual reports of last year, on 15 January: check-ins of late December are recorded by then.
YEARLY_CRON = "0 6 15 1 *"


def deployments(at: str, timezone: str) -> list[Any]:
    """Both reminder jobs daily at `at` (HH:MM) in `timezone`; agreements run when asked for (UI or API)."""
    hour, minute = (int(part) for part in at.split(":"))
    daily = [Cron(f"{minute} {hour} * * *", timezone=timezone)]
    return [send_checkin_reminders.to_deployment(name="daily", schedules=daily),
            send_renewal_notices.to_deployment(name="daily", schedules=daily),
            generate_agreements.to_deployment(name="on-demand"),
            produce_annual_reports.to_deployment(name="yearly", schedules=[Cron(YEARLY_CRON, timezone=timezone)])]


class _Runner(Runner):
    """Prefect's runner, stopped by SIGTERM as by Ctrl-C.

    Prefect's own SIGTERM handler calls `stop()` inside the running event loop, which only creates the `astop()`
    coroutine ("coroutine 'Runner.astop' was never awaited") and exits without stopping the runner cleanly.
    """

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt


def serve_schedules(*, at: str, timezone: str, limit: int | None = None) -> None:
    """Serve the deployments until interrupted (Ctrl-C or SIGTERM); runs execute in this process."""
    runner = _Runner(pause_on_shutdown=False, limit=limit)
    for deployment in deployments(at, timezone):
        runner.add_deployment(deployment)
    asyncio.run(runner.start())
