"""The one wiring: built from the settings, parts replaced by name, nothing built before it is used; the
environment is read in config.py only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pppflow.adapters.accounts import SqlAccountStore
from pppflow.adapters.documents.agreements import FakeAgreementRenderer, WeasyAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore, FileDocumentStore
from pppflow.adapters.mail import FakeMailer, FileMailer
from pppflow.adapters.passwords import Argon2Hasher
from pppflow.config import Settings
from pppflow.errors import ConfigError
from pppflow.wiring import build_wiring

SRC = Path(__file__).resolve().parents[2] / "src" / "pppflow"
NOON = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'w.db'}", **values)  # type: ignore[arg-type]


def test_parts_come_from_the_settings(tmp_path: Path) -> None:
    w = build_wiring(settings(tmp_path, mail_from="desk@example.org", render_time_limit=7.0))
    assert isinstance(w.store, FileDocumentStore) and isinstance(w.mailer, FileMailer)
    assert isinstance(w.renderer, WeasyAgreementRenderer) and w.renderer.time_limit == 7.0
    assert w.mail_from == "desk@example.org" and "professional-innovation" in w.lifecycles.names()
    assert w.store is w.store  # built once


def test_overrides_replace_parts_before_they_are_built(tmp_path: Path) -> None:
    renderer, store, mailer, hasher = FakeAgreementRenderer(), FakeDocumentStore(), FakeMailer(), Argon2Hasher.cheap()
    w = build_wiring(settings(tmp_path), renderer=renderer, store=store, mailer=mailer, hasher=hasher,
                     clock=lambda: NOON)
    assert (w.renderer, w.store, w.mailer, w.now()) == (renderer, store, mailer, NOON)
    assert isinstance(w.accounts, SqlAccountStore) and w.accounts.hasher is hasher  # the store hashes with it
    w.accounts.session_factory.kw["bind"].dispose()


def test_an_unknown_part_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="no part renderr"):
        build_wiring(settings(tmp_path), renderr=FakeAgreementRenderer())


def test_a_copy_with_a_part_replaced_shares_the_others(tmp_path: Path) -> None:
    w = build_wiring(settings(tmp_path), store=FakeDocumentStore())
    later = w.replace(clock=lambda: NOON)
    assert later.store is w.store and later.now() == NOON and w.now() != NOON


def test_a_part_is_built_only_when_used(tmp_path: Path) -> None:
    w = build_wiring(settings(tmp_path, seal_p12=tmp_path / "missing.p12"))  # a broken seal: fine until used
    assert w.mail_from == "pppflow@localhost"
    with pytest.raises(ConfigError, match="PPPFLOW_SEAL_P12"):
        w.signature_policy  # noqa: B018


@pytest.mark.parametrize("as_of", [None, date(2027, 1, 8)])
def test_no_date_means_today_in_one_place(tmp_path: Path, as_of: date | None) -> None:
    assert build_wiring(settings(tmp_path), clock=lambda: NOON).day(as_of) == (as_of or date(2027, 3, 1))


def test_the_environment_is_read_in_config_only() -> None:
    readers = re.compile(r"os\.environ|getenv|environ\.get")
    found = [f"{p.relative_to(SRC)}:{n}" for p in sorted(SRC.rglob("*.py")) if p.name != "config.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if readers.search(line)]
    assert found == []


def test_actor_and_debug_are_settings() -> None:
    s = Settings.from_environ({"PPPFLOW_HOME": "/tmp/x", "PPPFLOW_ACTOR": "marieke", "PPPFLOW_DEBUG": "1"})
    assert (s.actor, s.debug) == ("marieke", True)
    s = Settings.from_environ({"PPPFLOW_HOME": "/tmp/x"})
    assert (s.actor, s.debug) == (None, False)
