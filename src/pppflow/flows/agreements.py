"""Generating agreements as a Prefect flow: one task run per partnership (a PDF takes about a second)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from pppflow.flows.reminders import transient

FLOW_ACTOR = "prefect"


@task(retries=1, retry_delay_seconds=30, retry_condition_fn=transient, cache_policy=NO_CACHE)
def generate_agreement_task(ref: str) -> dict[str, Any]:
    """Render and store the partnership's agreement; an unchanged one is reused, not rendered twice."""
    from pppflow import bootstrap
    from pppflow.services.agreements import generate_agreement

    w = bootstrap.wiring()
    generated = generate_agreement(ref, uow_factory=w.uow_factory, renderer=w.renderer, store=w.store,
                                   lifecycles=w.lifecycles, actor=FLOW_ACTOR, now=w.now())
    return {"ref": ref, "version": generated.version.number, "created": generated.created}


@flow(name="generate_agreements")
def generate_agreements(refs: list[str]) -> list[dict[str, Any]]:
    """Generate the agreement of every partnership in `refs`; the flow fails if any of them failed."""
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for ref in refs:
        state = generate_agreement_task(ref, return_state=True)
        if state.is_completed():
            results.append(state.result())
        else:
            failures.append(ref)
            results.append({"ref": ref, "error": str(state.message or state.name)})
    if failures:
        raise RuntimeError(f"no agreement generated for {', '.join(failures)}")
    return results
