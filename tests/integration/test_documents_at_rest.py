"""Files at rest (issue 9 §9): a generation killed between writing its files and recording the version leaves no
separate version behind, and the database and documents are readable by their owner only."""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import text

from factories import NOW, example_raw
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.store import FileDocumentStore
from pppflow.services import agreements, partnerships
from servers import join_all


class KilledAfterWriting(FileDocumentStore):
    """A document store whose process is killed (SIGKILL) after the second file is written."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.written = 0

    def put(self, path: str, data: bytes) -> None:
        super().put(path, data)
        self.written += 1
        if self.written == 2:
            os.kill(os.getpid(), signal.SIGKILL)


def _generate_and_die(database_url: str, root: str, ref: str) -> None:
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork

    sessions = session_factory(database_url)
    agreements.generate_agreement(ref, uow_factory=lambda: SqlUnitOfWork(sessions), renderer=FakeAgreementRenderer(),
                                  store=KilledAfterWriting(Path(root)), actor="lex", now=NOW)


def test_a_generation_killed_before_its_commit_leaves_no_separate_version(
        uow_factory: Any, lifecycles: Any, database_url: str, tmp_path: Path) -> None:
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    root = tmp_path / "documents"
    worker = multiprocessing.get_context("spawn").Process(target=_generate_and_die, args=(database_url, str(root), ref))
    worker.start()
    assert join_all([worker]) == [-signal.SIGKILL]
    store = FileDocumentStore(root)
    orphans = store.listing(f"agreements/{ref}")
    assert len(orphans) == 2 and all("/v1-" in p for p in orphans)  # the kill left files without a version
    with uow_factory() as uow:
        assert uow.partnerships.get(ref).agreements == []

    v = agreements.generate_agreement(ref, uow_factory=uow_factory, renderer=FakeAgreementRenderer(), store=store,
                                      actor="lex", now=NOW).version
    assert v.number == 1
    assert store.listing(f"agreements/{ref}") == sorted([v.document_path, v.document_path[:-4] + ".html"])


def test_the_database_its_wal_and_the_documents_are_private(tmp_path: Path) -> None:
    from pppflow.adapters.db.database import make_engine, upgrade

    old_umask = os.umask(0o022)  # what most systems use: new files world-readable unless made otherwise
    try:
        home = tmp_path / "home"
        engine = make_engine(f"sqlite:///{home / 'pppflow.db'}")
        upgrade(engine)
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))
            conn.execute(text("INSERT INTO probe VALUES (1)"))
            conn.commit()
            files = [home / name for name in ("pppflow.db", "pppflow.db-wal", "pppflow.db-shm")]
            assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
        engine.dispose()
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        store = FileDocumentStore(home / "documents")
        store.put("agreements/pact/v1-abc.pdf", b"%PDF")
        assert stat.S_IMODE((home / "documents").stat().st_mode) == 0o700
        assert stat.S_IMODE((home / "documents" / "agreements" / "pact").stat().st_mode) == 0o700
        assert stat.S_IMODE((home / "documents" / "agreements" / "pact" / "v1-abc.pdf").stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
