"""The annual partnership reports of the whole portfolio as a Prefect flow, once a year."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from pppflow.flows.reminders import transient


@task(retries=1, retry_delay_seconds=60, retry_condition_fn=transient, cache_policy=NO_CACHE)
def annual_report_task(ref: str, year: int) -> dict[str, Any]:
    """Render and store one partnership's annual report (rewritten on a rerun, never duplicated)."""
    from pppflow import bootstrap
    from pppflow.services.reports import store_annual_reports

    w = bootstrap.wiring()
    [written] = store_annual_reports(year, uow_factory=w.uow_factory, files=w.assessment_files,
                                     renderer=w.report_renderer, store=w.store, now=w.now(), refs=[ref])
    return written


@flow(name="produce_annual_reports")
def produce_annual_reports(year: int | None = None) -> list[dict[str, Any]]:
    """Every partnership's annual report for `year` (default: last year); fails if any of them failed."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import list_partnerships

    year = year or bootstrap.wiring().now().year - 1
    refs = [p.ref for p in list_partnerships(uow=bootstrap.wiring().uow())]
    results, failures = [], []
    for ref in refs:
        state = annual_report_task(ref, year, return_state=True)
        if state.is_completed():
            results.append(state.result())
        else:
            failures.append(ref)
            results.append({"ref": ref, "error": str(state.message or state.name)})
    if failures:
        raise RuntimeError(f"no annual report for {', '.join(failures)}")
    return results
