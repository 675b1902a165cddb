"""Render a collaboration agreement: view model -> HTML (Jinja2) -> PDF/A-3b (WeasyPrint).

The shipped templates render in a normal Jinja environment; an organisation's own template directory
(given explicitly, e.g. from the PPPFLOW_TEMPLATES_DIR setting) renders in a bounded sandbox. WeasyPrint is
imported only inside `html_to_pdf`: it costs over a second to import and the CLI must start fast.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pppflow.adapters.documents.jinja_env import default_environment, render_template, sandbox_environment
from pppflow.errors import BadInput, TemplateError

TEMPLATE_NAME = "collaboration_agreement.html.j2"
_LANG = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


@dataclass(frozen=True)
class RenderedHtml:
    """The HTML of one agreement, with the template it came from and a hash of that template's files."""

    html: str
    template_name: str
    template_hash: str


def default_templates_dir() -> Path:
    """The shipped template directory: inside the installed package, else at the top of the source checkout."""
    try:
        packaged = importlib.resources.files("pppflow") / "agreement_templates"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - only without a regular package
        pass
    return Path(__file__).resolve().parents[4] / "agreement_templates"


def _clauses_path(lang: str, templates_dir: Path) -> Path:
    if not isinstance(lang, str) or not _LANG.fullmatch(lang):
        raise BadInput(f"unknown agreement language {lang!r}")
    return templates_dir / "clauses" / f"{lang}.yaml"


def load_clauses(lang: str, templates_dir: Path) -> dict[str, Any]:
    """Read the clause texts of one language from <templates_dir>/clauses/<lang>.yaml."""
    path = _clauses_path(lang, Path(templates_dir))
    if not path.is_file() or not path.resolve().is_relative_to(Path(templates_dir).resolve()):
        raise BadInput(f"unknown agreement language {lang!r}: no clause texts in {path.parent}")
    try:
        clauses = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"clauses/{path.name}, line {mark.line + 1}" if mark else f"clauses/{path.name}"
        raise TemplateError(f"template error in {where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(clauses, dict):
        raise TemplateError(f"template error in clauses/{path.name}: expected a mapping of clause texts")
    return clauses


def template_hash(templates_dir: Path, *, extra_files: tuple[Path, ...] = ()) -> str:
    """SHA-256 over every file of the template directory (relative path and bytes, in sorted order)."""
    digest = hashlib.sha256()
    root = templates_dir.resolve()
    files = sorted(
        (p.relative_to(templates_dir).as_posix(), p)
        for p in templates_dir.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        # a symlink out of the directory is never read (the loader and the fetcher refuse it too)
        and p.resolve().is_relative_to(root)
    )
    files += [(f"<fallback>/{p.parent.name}/{p.name}", p) for p in extra_files]
    for name, path in files:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def for_building_block(clauses: dict[str, Any], building_block: Any) -> dict[str, Any]:
    """The clause texts with what the building block says differently (`for_building_block.<block>`) merged in."""
    own = (clauses.get("for_building_block") or {}).get(building_block) if isinstance(building_block, str) else None
    return _merged(clauses, own) if isinstance(own, dict) else clauses


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def render_html(context: dict[str, Any], *, templates_dir: Path | None = None) -> RenderedHtml:
    """Render the agreement view model to HTML; a given templates_dir is an organisation's own, sandboxed."""
    shipped = default_templates_dir()
    custom = templates_dir is not None
    directory = Path(templates_dir).resolve() if templates_dir is not None else shipped
    if not directory.is_dir():
        raise TemplateError(f"template directory not found: {directory}")
    if custom and not (directory / TEMPLATE_NAME).is_file():
        raise TemplateError(f"template directory {directory} has no {TEMPLATE_NAME}")
    # An organisation's directory may hold only the layout; the clause texts then come from the shipped ones.
    editions, extra = [], []
    for edition in context.get("editions") or [context]:  # a bilingual version: one edition per language
        lang = edition.get("lang", "")
        clause_dir = directory if _clauses_path(lang, directory).is_file() else shipped
        clauses = for_building_block(load_clauses(lang, clause_dir), edition.get("building_block"))
        editions.append({"agreement": edition, "t": clauses})
        if clause_dir != directory:
            extra.append(_clauses_path(lang, shipped))
    if custom and len(editions) > 1 and "editions" not in (directory / TEMPLATE_NAME).read_text(errors="replace"):
        raise TemplateError(f"the template in {directory} renders one language only: a bilingual version needs a "
                            f"{TEMPLATE_NAME} that loops over `editions` (see the shipped one)")
    env = sandbox_environment(directory) if custom else default_environment(directory)
    html = render_template(env, directory, TEMPLATE_NAME, {**editions[0], "editions": editions})
    return RenderedHtml(html=html, template_name=TEMPLATE_NAME,
                        template_hash=template_hash(directory, extra_files=tuple(extra)))


def html_to_pdf(html: str, *, assets_dir: Path, attachment_json: str, title: str,
                time_limit: float | None = None, attachment_name: str = "agreement.json") -> bytes:
    """Render HTML to PDF/A-3b with the JSON embedded; only files inside assets_dir may be loaded.

    With a `time_limit` (seconds) the layout runs in a worker process that is killed at the limit (RenderError).
    Unbroken runs of text are given invisible break opportunities first (`offer_line_breaks`).
    """
    from pppflow.adapters.documents.render_worker import offer_line_breaks, render_pdf_bounded

    html = offer_line_breaks(html)
    if time_limit is not None:
        return render_pdf_bounded(html, assets_dir=Path(assets_dir), attachment_json=attachment_json, title=title,
                                  time_limit=time_limit, attachment_name=attachment_name)
    from pppflow.adapters.documents.pdf import write_pdf  # imports WeasyPrint (slow), so only when needed

    return write_pdf(html, assets_dir=Path(assets_dir), attachment_json=attachment_json, title=title,
                     attachment_name=attachment_name)
