"""The REST API under /api/v1: one router per resource, each calling the same services as the CLI."""

from __future__ import annotations

from fastapi import APIRouter

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    from pppflow.web.api import (
        admissions,
        agreements,
        amendments,
        audit,
        checkins,
        evidence,
        health,
        invitations,
        ledger,
        ledger_evidence,
        partnerships,
        progress,
        records,
    )
    from pppflow.web.api.schemas import ErrorRead

    errors = {401: "no valid token", 403: "the role may not do this", 404: "no such partnership, version, goal, ...",
              409: "the rules say no (a blocked trigger lists every reason) or a concurrent change won",
              413: "the request body is past its limit (checked before it is read)",
              422: "invalid input, every problem listed by its path"}
    router = APIRouter(prefix=API_PREFIX, responses={status: {"model": ErrorRead, "description": text}
                                                     for status, text in errors.items()})
    for module in (partnerships, records, admissions, agreements, checkins, audit, progress, evidence, amendments,
                   invitations, ledger, ledger_evidence, health):
        router.include_router(module.router)
    return router
