"""Agreement templates to HTML (no PDF): clause files, every optional branch, determinism, the sandbox's limits."""

from __future__ import annotations

import copy
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from pppflow.adapters.documents.clause_text import fill
from pppflow.adapters.documents.jinja_env import render_template, sandbox_environment
from pppflow.adapters.documents.renderer import (
    TEMPLATE_NAME,
    default_templates_dir,
    load_clauses,
    render_html,
    template_hash,
)
from pppflow.domain.agreement.view_model import build_agreement_context
from pppflow.errors import BadInput, TemplateError


def context_for(spec: dict[str, Any], lang: str = "en", **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "lang": lang, "version": 1, "stage": "draft", "signed": False, "signoffs": [],
        "generated_on": date(2026, 11, 23),
    }
    options.update(overrides)
    return build_agreement_context(spec, **options)


def user_dir(tmp_path: Path, source: str) -> Path:
    (tmp_path / TEMPLATE_NAME).write_text(source, encoding="utf-8")
    return tmp_path


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (safe_load silently keeps the last one)."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"duplicate keys {duplicates} at line {node.start_mark.line + 1}"
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _paths(tree: dict[str, Any], prefix: str = "") -> set[str]:
    out = set()
    for key, value in tree.items():
        out.add(prefix + str(key))
        if isinstance(value, dict):
            out |= _paths(value, f"{prefix}{key}.")
    return out


class TestClauseFiles:
    def test_every_language_has_the_same_keys_and_no_duplicates(self) -> None:
        clauses = {
            lang: yaml.load((default_templates_dir() / "clauses" / f"{lang}.yaml").read_text(encoding="utf-8"),
                            Loader=_StrictLoader)
            for lang in ("en", "nl")
        }
        assert _paths(clauses["en"]) == _paths(clauses["nl"])

    def test_unknown_language_is_bad_input(self) -> None:
        with pytest.raises(BadInput):
            load_clauses("fr", default_templates_dir())
        with pytest.raises(BadInput):
            load_clauses("../../etc/passwd", default_templates_dir())

    def test_fill_escapes_values_once_and_never_reparses_them(self) -> None:
        html = fill("**{name}** and {other}", name="<script>{other}</script>", other="{{ 7*7 }}")
        assert str(html) == "<strong>&lt;script&gt;{other}&lt;/script&gt;</strong> and {{ 7*7 }}"

    def test_fill_refuses_a_missing_placeholder(self) -> None:
        with pytest.raises(Exception, match="needs a value for"):
            fill("Article {n}")


class TestShippedTemplates:
    @pytest.mark.parametrize("lang", ["en", "nl"])
    @pytest.mark.parametrize("legal_form", ["cooperative", "foundation", "association", "consortium", "none"])
    def test_every_legal_form_renders(self, spec: dict[str, Any], lang: str, legal_form: str) -> None:
        spec["legal_form"] = legal_form
        html = render_html(context_for(spec, lang)).html
        t = load_clauses(lang, default_templates_dir())
        assert ('id="sec-organisation"' in html) is (legal_form != "none")
        assert (str(fill(t["governance"]["no_entity"])) in html) is (legal_form == "none")

    @pytest.mark.parametrize(("lang", "words"), [("en", "learn together around real assignments"),
                                                  ("nl", "samen leren rond echte opdrachten")])
    def test_a_learning_community_agreement_reads_as_one(self, spec: dict[str, Any], lang: str, words: str) -> None:
        t = load_clauses(lang, default_templates_dir())
        admission = str(fill(t["governance"]["admission_learning_community"]))
        spec["building_block"] = "learning_community"
        html = render_html(context_for(spec, lang)).html
        assert admission in html and words in html
        # its phases are learning rounds, not a one-off investment in a curriculum kept up to date
        rounds = {"en": ("First Learning Round", "Following Learning Rounds"),
                  "nl": ("Eerste Leerronde", "Volgende Leerrondes")}[lang]
        assert all(r in html for r in rounds)
        for phase_words in (t["phase_names"]["investment"], t["phase_names"]["maintenance"],
                            str(fill(t["phases"]["transition"])), str(fill(t["recitals"]["phases"]))):
            assert phase_words not in html
        spec["building_block"] = "network"
        network = render_html(context_for(spec, lang)).html
        assert admission not in network and rounds[0] not in network and t["phase_names"]["investment"] in network

    @pytest.mark.parametrize("lang", ["en", "nl"])
    def test_a_minimal_spec_renders_without_optional_parts(self, lang: str) -> None:
        spec = {"name": "Minimal", "partners": [{"key": "a", "name": "Alpha", "kind": "other"}]}
        html = render_html(context_for(spec, lang)).html
        for absent in ("sec-goals", "sec-roles", "sec-checkins", "sec-contributions", "sec-result-obligations",
                       "sec-effort-obligations", "sec-phases", "sec-communication"):
            assert absent not in html
        assert "sec-signatures" in html

    def test_variants_of_cadence_renewal_and_signoff(self, spec: dict[str, Any]) -> None:
        spec["checkins"]["cadence"] = "FREQ=WEEKLY;INTERVAL=2"
        spec["term"]["renewal"] = "automatic"
        spec["partners"][0]["address"] = "Postbus 1, Groningen"
        signoffs = [{"partner": "hanze", "name": "Henk Visser", "title": "Dean",
                     "signed_at": datetime(2027, 1, 5, 9, 0), "method": "electronic"}]
        html = render_html(context_for(spec, "en", signoffs=signoffs)).html
        assert "every 2 weeks" in html
        assert "renewed tacitly for successive periods of 36 months" in html
        assert "having its address at Postbus 1, Groningen" in html
        assert "signed on 5 January 2027 (electronic signature)" in html

    def test_rendering_is_deterministic(self, spec: dict[str, Any]) -> None:
        first, second = render_html(context_for(spec)), render_html(context_for(copy.deepcopy(spec)))
        assert first.html == second.html
        assert first.template_hash == second.template_hash
        assert first.template_name == TEMPLATE_NAME

    def test_shipped_templates_also_run_in_the_sandbox(self, spec: dict[str, Any]) -> None:
        context = context_for(spec, "nl")
        assert render_html(context, templates_dir=default_templates_dir()).html == render_html(context).html

    def test_template_hash_covers_every_file(self, tmp_path: Path) -> None:
        copy_dir = tmp_path / "templates"
        shutil.copytree(default_templates_dir(), copy_dir)
        before = template_hash(copy_dir)
        assert before == template_hash(default_templates_dir())
        (copy_dir / "clauses" / "en.yaml").write_text("changed: true\n", encoding="utf-8")
        assert template_hash(copy_dir) != before


class TestSandboxLimits:
    @pytest.mark.parametrize(
        "source",
        [
            "{{ ''|attr('__class__') }}",
            "{{ '%999999999s' % 1 }}",
            "{{ 'x'.ljust(10**9) }}",
            "{{ '{:>999999999}'.format(1) }}",
            "{{ 'x'|center(1000000000) }}",
            "{{ [1] * 100000000 }}",
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
            "{% for i in range(100000) %}{{ agreement.name * 100 }}{% endfor %}",
        ],
    )
    def test_refused(self, spec: dict[str, Any], tmp_path: Path, source: str) -> None:
        with pytest.raises(TemplateError, match=TEMPLATE_NAME):
            render_html(context_for(spec), templates_dir=user_dir(tmp_path, source))

    def test_render_time_is_bounded(self, tmp_path: Path) -> None:
        directory = user_dir(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                       "{% endfor %}{% endfor %}")
        with pytest.raises(TemplateError, match="time limit"):
            render_template(sandbox_environment(directory, max_seconds=0.2), directory, TEMPLATE_NAME, {})

    def test_undefined_names_the_line(self, spec: dict[str, Any], tmp_path: Path) -> None:
        directory = user_dir(tmp_path, "<p>ok</p>\n<p>{{ agreement.no_such_field }}</p>\n")
        with pytest.raises(TemplateError, match=rf"{TEMPLATE_NAME}, line 2: .*no_such_field"):
            render_html(context_for(spec), templates_dir=directory)

    def test_error_in_an_included_file_names_that_file(self, spec: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / "part.html.j2").write_text("a\nb\n{{ ''.__class__ }}\n", encoding="utf-8")
        directory = user_dir(tmp_path, '{% include "part.html.j2" %}')
        with pytest.raises(TemplateError, match=r"part\.html\.j2, line 3"):
            render_html(context_for(spec), templates_dir=directory)

    def test_own_clause_files_take_precedence(self, spec: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / "clauses").mkdir()
        (tmp_path / "clauses" / "en.yaml").write_text("doc: {title: Our Own Title}\n", encoding="utf-8")
        rendered = render_html(context_for(spec), templates_dir=user_dir(tmp_path, "{{ t.doc.title }}"))
        assert rendered.html == "Our Own Title"

    def test_missing_template_directory(self, spec: dict[str, Any], tmp_path: Path) -> None:
        with pytest.raises(TemplateError, match="not found"):
            render_html(context_for(spec), templates_dir=tmp_path / "nope")

    def test_a_symlink_out_of_the_directory_is_not_loaded(self, spec: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / "secret.html.j2").symlink_to("/etc/passwd")
        directory = user_dir(tmp_path, '{% include "secret.html.j2" %}')
        with pytest.raises(TemplateError, match="outside the template directory"):
            render_html(context_for(spec), templates_dir=directory)
