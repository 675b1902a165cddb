"""Prefect flows: thin wrappers over the services, and the only package that imports Prefect.

Importing this package does not import Prefect; `FLOWS` names the flows by their import path.
"""

from __future__ import annotations

FLOWS: dict[str, str] = {
    "send_checkin_reminders": "pppflow.flows.reminders:send_checkin_reminders",
    "send_renewal_notices": "pppflow.flows.reminders:send_renewal_notices",
    "generate_agreements": "pppflow.flows.agreements:generate_agreements",
    "produce_annual_reports": "pppflow.flows.reports:produce_annual_reports",
}
