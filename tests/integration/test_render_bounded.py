"""Rendering is bounded (issue 9 §4): the WeasyPrint step runs in a worker process killed at a time limit, and
long words break. The long texts are put into the view model directly, past any limit of the import."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from factories import NOW, example_raw
from pppflow.adapters.documents.agreements import WeasyAgreementRenderer
from pppflow.adapters.documents.renderer import RenderedHtml
from pppflow.adapters.documents.store import FileDocumentStore
from pppflow.errors import RenderError
from pppflow.services import agreements, partnerships

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning"),
]

LONG_WORD = "x" * 20_000
LONG_TEXT = ("Partners share their workshops and teachers every week of the year. " * 3000)[:200_000]


class LongGoalRenderer(WeasyAgreementRenderer):
    """The real renderer, with the first goal's statement replaced by a long text."""

    def __init__(self, statement: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.statement = statement

    def html(self, context: dict[str, Any]) -> RenderedHtml:
        context["goals"][0]["statement"] = self.statement
        return super().html(context)


def _imported(uow_factory: Any, lifecycles: Any) -> str:
    return partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                           now=NOW).ref


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_render_past_the_limit_is_stopped_and_leaves_no_file_and_no_version(
        uow_factory: Any, lifecycles: Any, tmp_path: Path) -> None:
    ref = _imported(uow_factory, lifecycles)
    store = FileDocumentStore(tmp_path / "documents")
    renderer = LongGoalRenderer(LONG_TEXT, time_limit=1.0)
    started = time.monotonic()
    with pytest.raises(RenderError, match="longer than the limit of 1 s"):
        agreements.generate_agreement(ref, uow_factory=uow_factory, renderer=renderer, store=store, actor="lex",
                                      now=NOW)
    assert time.monotonic() - started < 60  # killed, not waited for (unbounded this takes many minutes)
    assert not (tmp_path / "documents").exists() or not any((tmp_path / "documents").rglob("*"))
    with uow_factory() as uow:
        assert uow.partnerships.get(ref).agreements == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_20_kb_word_renders_within_the_default_limit(uow_factory: Any, lifecycles: Any, tmp_path: Path) -> None:
    ref = _imported(uow_factory, lifecycles)
    store = FileDocumentStore(tmp_path / "documents")
    renderer = LongGoalRenderer(LONG_WORD)
    g = agreements.generate_agreement(ref, uow_factory=uow_factory, renderer=renderer, store=store, actor="lex",
                                      now=NOW)
    pdf = store.get(g.version.document_path)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    runs = [len(r) for r in re.findall(r"x+", text.replace("\u200b", ""))]
    assert sum(r for r in runs if r > 20) >= 20_000  # every letter of the word is there (pages interrupt it)
    assert max(runs) < 20_000  # broken over lines, not run off the page
    html = store.get(g.version.document_path.removesuffix(".pdf") + ".html").decode()
    assert LONG_WORD in html  # the stored text is the template's, without the invisible break opportunities
