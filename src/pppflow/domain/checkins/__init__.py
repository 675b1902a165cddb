"""Check-ins: the schedule of dates, their status, and what a held check-in records."""
