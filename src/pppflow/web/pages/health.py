"""Health and maturity pages: the portfolio worst first, one partnership's components, trend and maturity per
station, and the maturity self-assessment form (a partner for itself, a coordinator on a partner's behalf)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.errors import Forbidden, PppflowError
from pppflow.services.health import health_trends, partnership_health, portfolio_health
from pppflow.services.maturity import answers_template, maturity_overview, record_round
from pppflow.web.auth import page_permit, party_of
from pppflow.web.charts import sparkline, station_bars
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter()
reader = page_permit(Permission.READ)
TRENDS_SHOWN = 20


@router.get("/health")
def portfolio_page(request: Request, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    as_of = desk.day()
    items = portfolio_health(uow=desk.uow(), files=desk.assessment_files, lifecycles=desk.lifecycles, as_of=as_of,
                             party=party_of(user))
    trends = health_trends([h.ref for h in items[:TRENDS_SHOWN]], uow=desk.uow(), files=desk.assessment_files,
                           as_of=as_of)
    return render(request, "health_portfolio.html", {
        "items": items, "as_of": as_of, "spark": {ref: sparkline(points) for ref, points in trends.items()},
        "bands": {b: sum(1 for h in items if h.band == b) for b in ("healthy", "attention", "at_risk")}})


def _health_view(ref: str, desk: Desk) -> dict[str, Any]:
    as_of = desk.day()
    files = desk.assessment_files
    h = partnership_health(ref, uow=desk.uow(), files=files, as_of=as_of)
    trend = health_trends([ref], uow=desk.uow(), files=files, as_of=as_of).get(ref, [])
    view, rounds = maturity_overview(ref, uow=desk.uow(), files=files, lang="en")  # the web app speaks English
    stations = [{"station": s.number, "title": s.title, "partners": s.per_partner} for s in view.stations]
    return {"h": h, "trend": trend, "spark": sparkline(trend, width=240, height=48), "maturity": view,
            "stations": stations, "bars": station_bars(stations, view.framework.levels), "rounds": rounds,
            "ref": ref}


@router.get("/partnerships/{ref}/health")
def partnership_page(request: Request, ref: str, user: User = Depends(reader),
                     desk: Desk = Depends(desk_of)) -> Response:
    return render(request, "health.html", _health_view(ref, desk))


def _may_assess(user: User, partner: str) -> bool:
    """A partner user for its own organisation; the desk (coordinate permission) on any partner's behalf."""
    if user.is_partner:
        return party_of(user) == partner
    return user.may(Permission.COORDINATE)


@router.get("/partnerships/{ref}/maturity")
def assess_form(request: Request, ref: str, partner: str = "", user: User = Depends(reader),
                desk: Desk = Depends(desk_of)) -> Response:
    partner = party_of(user) or partner
    if not partner:
        return render(request, "maturity_form.html", {"ref": ref, "doc": None, "errors": [], "values": {}})
    if not _may_assess(user, partner):
        raise Forbidden(f"you may not answer for {partner!r}")
    doc = answers_template(ref, partner, uow=desk.uow(), files=desk.assessment_files, lang="en")
    return render(request, "maturity_form.html", {"ref": ref, "doc": doc, "errors": [], "values": {}})


@router.post("/partnerships/{ref}/maturity")
async def assess_submit(request: Request, ref: str, user: User = Depends(reader),
                        desk: Desk = Depends(desk_of)) -> Response:
    form = await request.form()
    partner = party_of(user) or str(form.get("partner") or "")
    if not _may_assess(user, partner):
        raise Forbidden(f"you may not answer for {partner!r}")
    doc = answers_template(ref, partner, uow=desk.uow(), files=desk.assessment_files, lang="en")
    values = {k: str(v) for k, v in form.items()}
    answers = {"framework": doc["framework"], "partner": partner, "answers": [
        {"key": a["key"], "level": values.get(f"level:{a['key']}") or None,
         "evidence": values.get(f"evidence:{a['key']}", "")} for a in doc["answers"]]}
    try:
        rnd = record_round(ref, partner, answers, uow=desk.uow(), files=desk.assessment_files,
                           actor=user.username, now=desk.now(), on_behalf=not user.is_partner)
    except PppflowError as exc:
        return render(request, "maturity_form.html", {"ref": ref, "doc": doc, "errors": [exc.message, *exc.details],
                                                      "values": values}, status_code=status_of(exc))
    flash(request, f"Maturity round {rnd.number} of {partner} recorded.")
    return redirect(f"/partnerships/{ref}/health")


@router.get("/partnerships/{ref}/reports/annual")
def annual_report_download(request: Request, ref: str, year: int = Query(..., ge=2000, le=9999),
                           lang: str = Query("", max_length=2), user: User = Depends(reader),
                           desk: Desk = Depends(desk_of)) -> Response:
    """The annual report as a PDF download (rendered on request, nothing stored)."""
    from pppflow.services.reports import annual_report_document

    doc = annual_report_document(ref, year, uow=desk.uow(), files=desk.assessment_files,
                                 renderer=desk.report_renderer, now=desk.now(),
                                 lang=lang or None)
    name = f"{ref}-annual-{year}-{doc.report['lang']}.pdf"
    return Response(doc.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
