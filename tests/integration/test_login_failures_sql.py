"""The login throttle's memory on SQLite and PostgreSQL: attempts in order, pruned, forgotten and cleared."""

from __future__ import annotations

from datetime import timedelta

from factories import NOW
from pppflow.adapters.accounts import SqlAccountStore

MIN = timedelta(minutes=1)


def test_login_attempts_are_kept_ordered_pruned_and_cleared(database_url: str) -> None:
    from pppflow.adapters.db.database import session_factory

    factory = session_factory(database_url)
    try:
        store = SqlAccountStore(factory)
        old = store.record_login_attempt("marieke", "203.0.113.9", NOW - 20 * MIN, prune_before=NOW - 35 * MIN)
        ids = [store.record_login_attempt(name, "203.0.113.9", NOW + i * MIN, prune_before=NOW - 15 * MIN)
               for i, name in enumerate(("marieke", "hanna", "marieke"))]  # the first of these prunes `old`
        assert ids[0] < ids[1] < ids[2] and old <= ids[0]  # SQLite may give a pruned row's id again: not older
        names, addresses = store.login_failures("marieke", "203.0.113.9", since=NOW - 30 * MIN, before=ids[2])
        assert names == [NOW] and addresses == [NOW, NOW + MIN]  # `old` was pruned; later attempts not counted
        assert store.login_failures("marieke", None, since=NOW - MIN, before=ids[2] + 1) == ([NOW, NOW + 2 * MIN], [])
        store.forget_login_attempt(ids[2])
        assert store.login_failures("marieke", None, since=NOW - MIN, before=ids[2] + 1)[0] == [NOW]
        assert store.clear_login_failures("marieke") == 1 and store.clear_login_failures("marieke") == 0
        assert store.login_failures("hanna", "203.0.113.9", since=NOW - MIN, before=ids[2] + 1) == (
            [NOW + MIN], [NOW + MIN])
    finally:
        factory.kw["bind"].dispose()
