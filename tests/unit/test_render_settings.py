"""The render time limit setting (issue 9 §4), and the invisible break opportunities offered to long words."""

from __future__ import annotations

from pathlib import Path

import pytest

from pppflow.adapters.documents.render_worker import offer_line_breaks
from pppflow.config import Settings
from pppflow.errors import ConfigError


def test_the_render_time_limit_is_read_from_the_environment(tmp_path: Path) -> None:
    assert Settings.from_environ({"PPPFLOW_HOME": str(tmp_path)}).render_time_limit == 60
    env = {"PPPFLOW_HOME": str(tmp_path), "PPPFLOW_RENDER_TIME_LIMIT": "2.5"}
    assert Settings.from_environ(env).render_time_limit == 2.5
    for bad in ("0", "-1", "soon", "1e9"):
        with pytest.raises(ConfigError, match="PPPFLOW_RENDER_TIME_LIMIT"):
            Settings.from_environ({**env, "PPPFLOW_RENDER_TIME_LIMIT": bad})


def test_long_runs_of_text_get_break_opportunities_and_markup_stays_intact() -> None:
    html = ('<p class="goal">' + "x" * 130 + " &amp; short</p><style>" + "c" * 100 + "</style>"
            '<a href="' + "d" * 100 + '">link</a>')
    out = offer_line_breaks(html)
    assert out.replace("\u200b", "") == html
    assert out.count("\u200b") == 2  # after 64 and 128 letters of the word; none in the style or the attribute
    assert "x" * 64 + "\u200b" + "x" * 64 + "\u200b" + "xx &amp;" in out
