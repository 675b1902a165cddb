"""The login throttle: the pure rule with explicit times, and the service on the in-memory account store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factories import NOW
from pppflow.adapters.accounts import FakeAccountStore
from pppflow.domain.login_throttle import LOGIN_LIMITS, Lockout, LoginLimits, lock_end, lockout, login_key
from pppflow.errors import TooManyAttempts
from pppflow.services import accounts

MIN = timedelta(minutes=1)
WINDOW = timedelta(minutes=15)



def test_the_limits() -> None:
    assert (LOGIN_LIMITS.per_username, LOGIN_LIMITS.per_address, LOGIN_LIMITS.window) == (5, 20, WINDOW)


def test_five_failures_within_the_window_lock_until_the_oldest_of_them_leaves_it() -> None:
    failures = [NOW + i * MIN for i in range(5)]  # 09:00 .. 09:04
    assert lock_end(failures[:4], NOW + 4 * MIN, 5, WINDOW) is None
    assert lock_end(failures, NOW + 4 * MIN, 5, WINDOW) == NOW + 15 * MIN
    assert lock_end(failures, NOW + 14 * MIN, 5, WINDOW) == NOW + 15 * MIN
    assert lock_end(failures, NOW + 15 * MIN, 5, WINDOW) is None  # 09:00 has left the window: four remain
    # a sixth failure after the lock: locked again until the oldest of the latest five leaves the window
    assert lock_end([*failures, NOW + 15 * MIN], NOW + 15 * MIN, 5, WINDOW) == NOW + 16 * MIN


def test_failures_spread_wider_than_the_window_do_not_lock() -> None:
    failures = [NOW + i * 4 * MIN for i in range(10)]  # one every 4 minutes: at most 4 within 15 minutes
    assert all(lock_end(failures[: i + 1], failures[i], 5, WINDOW) is None for i in range(10))
    assert lock_end(failures, NOW - MIN, 5, WINDOW) is None  # failures after `now` are not counted


def test_the_username_or_the_address_whichever_lock_ends_later() -> None:
    limits = LoginLimits(per_username=2, per_address=3, window=WINDOW)
    assert lockout([NOW], [NOW, NOW], NOW, limits) is None
    assert lockout([NOW, NOW + MIN], [], NOW + MIN, limits) == Lockout("username", NOW + 15 * MIN)
    assert lockout([], [NOW, NOW, NOW + MIN], NOW + MIN, limits) == Lockout("address", NOW + 15 * MIN)
    both = lockout([NOW, NOW], [NOW + MIN] * 3, NOW + MIN, limits)
    assert both == Lockout("address", NOW + 16 * MIN)


def test_the_message_says_when_to_try_again() -> None:
    lock = Lockout("username", NOW + 15 * MIN)
    assert lock.retry_after(NOW + 30 * timedelta(seconds=1)) == 14 * 60 + 30
    assert lock.retry_after(NOW + 15 * MIN) == 1
    assert lock.message(NOW) == ("Too many failed logins for this username: try again after 23 Nov 2026, 09:15 UTC "
                                 "(in 15 minutes).")
    assert "your address" in Lockout("address", NOW + 15 * MIN).message(NOW + 14 * MIN + timedelta(seconds=59))
    assert "(in 1 minute)" in lock.message(NOW + 14 * MIN)


def test_usernames_are_counted_without_case_or_spaces() -> None:
    assert login_key(" Marieke ") == "marieke" and len(login_key("x" * 500)) == 64


def test_throttled_login_on_the_fake_store() -> None:
    store = FakeAccountStore()
    accounts.add_user("marieke", "coordinator", "long enough pw", accounts=store, now=NOW)
    for i in range(5):
        assert accounts.throttled_login("MARIEKE", "wrong", accounts=store, now=NOW + i * MIN) is None
    with pytest.raises(TooManyAttempts) as err:
        accounts.throttled_login("marieke", "long enough pw", accounts=store, now=NOW + 5 * MIN)
    assert err.value.retry_after == 10 * 60 and "try again after 23 Nov 2026, 09:15 UTC" in err.value.message
    assert len(store.attempts) == 5  # a refused attempt is not a failure: it does not prolong the lock
    assert accounts.throttled_login("marieke", "long enough pw", accounts=store, now=NOW + 15 * MIN) is not None
    assert store.attempts == {}  # success cleared the failures (and the window pruned the oldest)
    for _ in range(5):
        accounts.throttled_login("marieke", "wrong", accounts=store, now=NOW + 20 * MIN)
    assert accounts.unlock_user(" Marieke", accounts=store) == 5
    assert accounts.throttled_login("marieke", "long enough pw", accounts=store, now=NOW + 20 * MIN) is not None


def test_one_address_cannot_spray_many_usernames() -> None:
    store = FakeAccountStore()
    accounts.add_user("marieke", "coordinator", "long enough pw", accounts=store, now=NOW)
    for i in range(20):
        accounts.throttled_login(f"guess{i}", "wrong", accounts=store, now=NOW, address="203.0.113.9")
    with pytest.raises(TooManyAttempts, match="your address"):
        accounts.throttled_login("marieke", "long enough pw", accounts=store, now=NOW, address="203.0.113.9")
    found = accounts.throttled_login("marieke", "long enough pw", accounts=store, now=NOW, address="198.51.100.1")
    assert found is not None and found[0].username == "marieke"
