"""Parity with the CLI: amend from a revised spec (preview, then confirm), the diff of two agreement versions.
The renewal path is `POST .../advance {"trigger": "renew", "reason": ...}` followed by an amendment of the term."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from pppflow.domain.accounts import Permission, User
from pppflow.services import agreements as agreement_service
from pppflow.services import amendments as service
from pppflow.services.partnerships import amend_partnership
from pppflow.services.read_models.agreements import VersionDiffRead
from pppflow.services.read_models.partnership import AmendmentRead
from pppflow.web.api.schemas import _In, _Out
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}", tags=["amendments"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)


class AmendmentCreate(_In):
    spec: dict[str, Any] = Field(description="The revised pppflow/v1 spec (e.g. an edited export)")
    reason: str | None = Field(default=None, max_length=2000)
    based_on: str | None = Field(default=None, pattern="^[0-9a-f]{64}$",
                                 description="The `based_on` of the preview: refused (409) if the content changed")


class SectionChangeRead(_Out):
    section: str
    before: Any
    after: Any


class AmendmentPreviewRead(_Out):
    ref: str
    based_on: str
    changed: list[str]
    changes: list[SectionChangeRead]


@router.post("/amendments/preview", response_model=AmendmentPreviewRead,
             summary="What a revised spec would change, section by section; nothing is written")
def preview(ref: str, body: AmendmentCreate, user: User = Depends(coordinator),
            desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = service.preview_amendment(ref, body.spec, uow=desk.uow(), actor=user.username, now=desk.now(),
                                  reason=body.reason)
    return {"ref": p.ref, "based_on": p.based_on, "changed": p.changed,
            "changes": [{"section": c.section, "before": c.before, "after": c.after} for c in p.changes]}


@router.post("/amendments", response_model=AmendmentRead,
             summary="Amend the agreed content from a revised spec (as `pppflow partnership amend`)")
def confirm(ref: str, body: AmendmentCreate, user: User = Depends(coordinator),
            desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    changed = amend_partnership(ref, body.spec, uow=desk.uow(), actor=user.username, now=desk.now(),
                                reason=body.reason, based_on=body.based_on, lifecycles=desk.lifecycles)
    return {"ref": ref, "changed": changed}


@router.get("/agreements/{number}/diff", response_model=list[VersionDiffRead],
            summary="What changed in version `number` since version `from`, article by article")
def diff(ref: str, number: int, from_: int = Query(..., alias="from", ge=1), user: User = Depends(reader),
         desk: Desk = Depends(desk_of)) -> list[Any]:
    return agreement_service.diff_versions(ref, from_, number, uow=desk.uow(), store=desk.store)
