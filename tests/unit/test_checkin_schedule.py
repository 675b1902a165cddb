from __future__ import annotations

from datetime import date

import pytest

from pppflow.domain.checkins.schedule import MAX_CHECKINS, checkin_status, expand_checkin_dates, term_end
from pppflow.errors import BadInput

D = date


def test_monthly_over_the_example_term_gives_36_dates_on_the_15th() -> None:
    dates = expand_checkin_dates("monthly", D(2027, 1, 15), D(2027, 1, 1), 36)
    assert len(dates) == 36
    assert dates[0] == D(2027, 1, 15)
    assert dates[-1] == D(2029, 12, 15)
    assert all(d.day == 15 for d in dates)


def test_monthly_on_the_31st_clamps_to_the_last_day_of_shorter_months() -> None:
    dates = expand_checkin_dates("monthly", D(2027, 1, 31), D(2027, 1, 1), 13)
    assert dates == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 31),
                     D(2027, 6, 30), D(2027, 7, 31), D(2027, 8, 31), D(2027, 9, 30), D(2027, 10, 31),
                     D(2027, 11, 30), D(2027, 12, 31), D(2028, 1, 31)]


def test_monthly_on_the_30th_keeps_the_30th_and_clamps_february_in_a_leap_year() -> None:
    dates = expand_checkin_dates("monthly", D(2028, 1, 30), D(2028, 1, 1), 3)
    assert dates == [D(2028, 1, 30), D(2028, 2, 29), D(2028, 3, 30)]


def test_plain_monthly_rrule_clamps_like_the_named_cadence() -> None:
    named = expand_checkin_dates("monthly", D(2027, 1, 31), D(2027, 1, 1), 12)
    assert expand_checkin_dates("RRULE:FREQ=MONTHLY", D(2027, 1, 31), D(2027, 1, 1), 12) == named


def test_explicit_bymonthday_follows_rfc_5545_and_skips_months_without_that_day() -> None:
    dates = expand_checkin_dates("FREQ=MONTHLY;BYMONTHDAY=31", D(2027, 1, 31), D(2027, 1, 1), 6)
    assert dates == [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31)]


def test_yearly_from_29_february_clamps_to_28_february() -> None:
    dates = expand_checkin_dates("FREQ=YEARLY", D(2028, 2, 29), D(2028, 1, 1), 60)
    assert dates == [D(2028, 2, 29), D(2029, 2, 28), D(2030, 2, 28), D(2031, 2, 28), D(2032, 2, 29)]


def test_daily_and_yearly_are_named_too() -> None:
    assert len(expand_checkin_dates("daily", D(2027, 1, 1), D(2027, 1, 1), 1)) == 31
    assert expand_checkin_dates("yearly", D(2028, 2, 29), D(2028, 1, 1), 25) == [D(2028, 2, 29), D(2029, 2, 28)]


def test_quarterly_and_weekly() -> None:
    assert expand_checkin_dates("quarterly", D(2027, 1, 15), D(2027, 1, 1), 12) == [
        D(2027, 1, 15), D(2027, 4, 15), D(2027, 7, 15), D(2027, 10, 15)]
    weekly = expand_checkin_dates("Weekly", D(2027, 1, 4), D(2027, 1, 1), 1)
    assert weekly == [D(2027, 1, 4), D(2027, 1, 11), D(2027, 1, 18), D(2027, 1, 25)]


@pytest.mark.parametrize("cadence", ["FREQ=WEEKLY;INTERVAL=2", "RRULE:FREQ=WEEKLY;INTERVAL=2",
                                     " rrule:freq=weekly;interval=2; "])
def test_fortnightly_rrule_with_or_without_prefix(cadence: str) -> None:
    assert expand_checkin_dates(cadence, D(2027, 1, 15), D(2027, 1, 1), 2) == [
        D(2027, 1, 15), D(2027, 1, 29), D(2027, 2, 12), D(2027, 2, 26)]


def test_the_last_day_of_the_term_is_included_and_the_term_end_is_not() -> None:
    # Term 2027-01-01 + 1 month: last day 31 January, end 1 February (exclusive).
    assert expand_checkin_dates("weekly", D(2027, 1, 3), D(2027, 1, 1), 1)[-1] == D(2027, 1, 31)
    assert expand_checkin_dates("weekly", D(2027, 1, 4), D(2027, 1, 1), 1)[-1] == D(2027, 1, 25)
    assert expand_checkin_dates("monthly", D(2027, 2, 1), D(2027, 1, 1), 1) == []


def test_rrule_count_and_until_end_the_schedule_early() -> None:
    assert expand_checkin_dates("FREQ=MONTHLY;COUNT=2", D(2027, 1, 15), D(2027, 1, 1), 36) == [
        D(2027, 1, 15), D(2027, 2, 15)]
    assert expand_checkin_dates("FREQ=MONTHLY;UNTIL=20270401T000000Z", D(2027, 1, 15), D(2027, 1, 1), 36) == [
        D(2027, 1, 15), D(2027, 2, 15), D(2027, 3, 15)]


def test_rrule_with_byday_starts_at_the_first_match_on_or_after_the_first_date() -> None:
    assert expand_checkin_dates("FREQ=MONTHLY;BYDAY=2TU", D(2027, 1, 15), D(2027, 1, 1), 3) == [
        D(2027, 2, 9), D(2027, 3, 9)]


@pytest.mark.parametrize("cadence", [
    "", "fortnightly", "FREQ=FORTNIGHTLY", "FREQ=HOURLY", "FREQ=WEEKLY;BYHOUR=9", "FREQ=WEEKLY;INTERVAL=x",
    "FREQ=WEEKLY;INTERVAL=0", "FREQ=WEEKLY;COUNT=-1", "FREQ=WEEKLY;BYDAY=XX", "FREQ=MONTHLY;UNTIL=soon",
    "FREQ=WEEKLY;FREQ=DAILY", "INTERVAL=2", "DTSTART:20270101", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
])
def test_an_invalid_cadence_is_bad_input_with_a_message(cadence: str) -> None:
    with pytest.raises(BadInput) as caught:
        expand_checkin_dates(cadence, D(2027, 1, 15), D(2027, 1, 1), 36)
    assert "cadence" in caught.value.message


def test_an_absurd_number_of_checkins_is_refused() -> None:
    with pytest.raises(BadInput, match=str(MAX_CHECKINS)):
        expand_checkin_dates("FREQ=DAILY", D(2027, 1, 1), D(2027, 1, 1), 240)


def test_term_end_is_exclusive_and_clamps_at_month_ends() -> None:
    assert term_end(D(2027, 1, 1), 36) == D(2030, 1, 1)
    assert term_end(D(2027, 1, 31), 1) == D(2027, 2, 28)
    with pytest.raises(BadInput):
        term_end(D(2027, 1, 1), 0)


@pytest.mark.parametrize(("held_on", "as_of", "status"), [
    (None, D(2027, 1, 10), "upcoming"),
    (None, D(2027, 1, 15), "upcoming"),
    (None, D(2027, 1, 16), "due"),
    (None, D(2027, 1, 18), "due"),
    (None, D(2027, 1, 19), "missed"),
    (D(2027, 1, 15), D(2027, 1, 15), "held"),
    (D(2027, 1, 20), D(2027, 1, 25), "held"),
    (D(2027, 1, 20), D(2027, 1, 19), "missed"),  # held later than as_of: not yet held on as_of
])
def test_checkin_status(held_on: date | None, as_of: date, status: str) -> None:
    assert checkin_status(D(2027, 1, 15), held_on, 3, as_of) == status


def test_checkin_status_with_no_grace_is_missed_the_next_day() -> None:
    assert checkin_status(D(2027, 1, 15), None, 0, D(2027, 1, 16)) == "missed"
