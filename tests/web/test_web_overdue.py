"""Overdue work never disappears: a check-in missed months ago stays on the dashboard and the agenda."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from webapp import REF, close, make_web


def test_a_checkin_missed_months_ago_stays_on_the_dashboard_and_the_agenda(tmp_path: Path) -> None:
    later = make_web(tmp_path)
    try:
        later.import_example()
        later.agree_all_goals(REF)
        for trigger in ("define_goals", "agree_framework"):  # check-ins monthly from 15 January 2027
            assert later.api("coco").post(f"/api/v1/partnerships/{REF}/advance",
                                          json={"trigger": trigger}).status_code == 200
        may_8 = datetime(2027, 5, 8, 9, tzinfo=UTC)  # 113 days after the first check-in
        later.app.state.desk = later.desk.replace(clock=lambda: may_8)
        page = later.browser("coco").get("/").text
        overdue = page[page.index("Check-ins overdue"):page.index("Check-ins this week")]
        assert re.search(r'class="count">4<', overdue), overdue
        assert "15 Jan 2027" in overdue and "last 30 days" not in page
        due = later.api("coco").get("/api/v1/checkins/due", params={"within": 0}).json()
        assert [(i["date"], i["status"]) for i in due if i["kind"] == "checkin"][:1] == [("2027-01-15", "missed")]
    finally:
        close(later)
