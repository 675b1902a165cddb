"""Server-rendered pages: every POST carries the session's CSRF token, every route calls the services."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from pppflow.web.auth import csrf_protect


def pages_router() -> APIRouter:
    from pppflow.web.pages import (
        admin,
        admissions,
        agreements,
        amendments,
        asks,
        checkins,
        evidence,
        health,
        imports,
        invitations,
        ledger,
        ledger_forms,
        outbox_admin,
        partnership,
        portfolio,
        session,
    )

    router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
    for module in (session, portfolio, imports, amendments, partnership, admissions, checkins, agreements, admin,
                   outbox_admin, asks, invitations, evidence, ledger, ledger_forms, health):
        router.include_router(module.router)
    return router
