"""The ledger on the web: the partnership page's ledger section (an SVG chart with a text alternative) and the
portfolio ledger page (realisation per partnership, sortable, totals from SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from pppflow.domain.accounts import Permission, User
from pppflow.domain.funding import co_financing_view
from pppflow.domain.ledger import LedgerKind, LedgerUnit
from pppflow.domain.model import Phase
from pppflow.errors import BadInput
from pppflow.services import ledger as service
from pppflow.web.auth import page_permit, party_of
from pppflow.web.desk import Desk, desk_of
from pppflow.web.pages.rendering import fragment, render

router = APIRouter()
reader = page_permit(Permission.READ)
coordinator = page_permit(Permission.COORDINATE)
MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PAGE_SIZE = 50
CHART_WIDTH, LABEL_WIDTH, BAR = 640, 150, 14


@dataclass(frozen=True)
class Bar:
    """One partner's pair of bars: committed and realised EUR, as widths on the chart."""

    label: str
    y: int
    committed: Decimal
    realised: Decimal
    committed_width: int
    realised_width: int


def chart_bars(by_partner: dict[str, dict[str, Any]]) -> tuple[list[Bar], int]:
    """Bars scaled to the largest amount, and the chart's height."""
    values = [(k, Decimal(m["committed_eur"]), Decimal(m["realised_eur"])) for k, m in by_partner.items()]
    top = max([max(c, r) for _, c, r in values] + [Decimal(1)])
    span = CHART_WIDTH - LABEL_WIDTH - 110

    def width(x: Decimal) -> int:
        return max(0, int(x * span / top))

    bars = [Bar(k, 10 + i * (2 * BAR + 14), c, r, width(c), width(r)) for i, (k, c, r) in enumerate(values)]
    return bars, 20 + len(bars) * (2 * BAR + 14)


ENTRIES_SHOWN = 50


def ledger_section(ref: str, desk: Desk, today: date, *, csrf: str, user: User, errors: dict[str, list[str]],
                   values: dict[str, str]) -> Markup:
    """The ledger section of the partnership page: committed vs realised per partner (chart and table), the newest
    entries with their evidence and actions, and the forms to add an entry or book check-in hours."""
    from pppflow.services.ledger_evidence import evidence_by_entry

    s = service.ledger_summary(ref, uow=desk.uow(), as_of=today)
    view = s.view()
    bars, height = chart_bars(view["by_partner"])
    with desk.uow() as uow:
        p = uow.partnerships.read(ref)
    entries = service.list_entries(ref, uow=desk.uow())
    coordinate, own = user.may(Permission.COORDINATE), party_of(user)
    funding = co_financing_view(p, s.total.realised_eur)
    return Markup(fragment("_ledger.html", {
        "ref": ref, "s": view, "bars": bars, "height": height, "width": CHART_WIDTH, "label_width": LABEL_WIDTH,
        "bar": BAR, "funding": funding, "csrf": csrf, "coordinate": coordinate, "today": today,
        "lang": ((p.funding or {}).get("terms") or {}).get("language") or p.language,
        "entries": list(reversed(entries))[:ENTRIES_SHOWN], "entry_count": len(entries),
        "corrected": {e.corrects for e in entries if e.corrects is not None},
        "files": evidence_by_entry(ref, uow=desk.uow()), "may_enter": coordinate or own is not None,
        "may_act": (lambda partner: coordinate or partner == own), "own": own,
        "partners": [x.key for x in p.partners if coordinate or x.key == own],
        "unbooked": service.unbooked_checkins(ref, uow=desk.uow()) if coordinate else [],
        "phases": [x.value for x in Phase], "kinds": [x.value for x in LedgerKind],
        "units": [x.value for x in LedgerUnit], "errors": errors, "values": values,
        "add_open": any(k == "ledger" or k.startswith("ledger:") for k in errors)}))


@router.get("/ledger")
def portfolio_ledger(request: Request, sort: str = Query("name", max_length=20),
                     direction: str = Query("asc", pattern="^(asc|desc)$", alias="dir"),
                     page: int = Query(1, ge=1, le=100_000), user: User = Depends(reader),
                     desk: Desk = Depends(desk_of)) -> Response:
    r = service.portfolio_realisation(uow=desk.uow(), party=party_of(user), sort=sort, descending=direction == "desc",
                                      limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "ledger_portfolio.html", {"r": r, "sort": sort, "dir": direction, "page": page,
                                                     "pages": max(1, -(-r.total // PAGE_SIZE))})


@router.post("/partnerships/{ref}/funder-report")
def funder_report_download(request: Request, ref: str, period_end: str = Form(""), lang: str = Form(""),
                           fmt: str = Form("pdf", alias="format"), user: User = Depends(coordinator),
                           desk: Desk = Depends(desk_of)) -> Response:
    """Generate the funder report (stored as a version) and hand it over as a download."""
    from pppflow.services.funder_reports import generate_funder_report

    try:
        day = date.fromisoformat(period_end)
    except ValueError:
        raise BadInput("period_end: must be a date (YYYY-MM-DD)", details=[f"period_end: {period_end!r}"]) from None
    g = generate_funder_report(ref, day, uow_factory=desk.uow_factory, renderer=desk.funder_report_renderer,
                               store=desk.store, actor=user.username, now=desk.now(), lang=lang or None, fmt=fmt)
    name = f"{ref}-funder-report-{day.isoformat()}-{g.version.language}.{fmt}"
    return Response(g.data, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
