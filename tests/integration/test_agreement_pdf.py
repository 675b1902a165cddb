"""The example agreement rendered to PDF/A-3b, in Dutch and English, read back with pypdf.

Each render costs one to three seconds, so each PDF is rendered once per module and asserted on many times.
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from pppflow.adapters.documents.renderer import (
    TEMPLATE_NAME,
    default_templates_dir,
    html_to_pdf,
    render_html,
)
from pppflow.domain.agreement.view_model import build_agreement_context
from pppflow.errors import TemplateError

pytestmark = [
    pytest.mark.slow,
    # WeasyPrint 70 warns once at import when the system lacks libharfbuzz-subset0 (it then subsets with fontTools).
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning"),
]

PASSWD_MARK = "root:x:0:0"
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "link": '<link rel="attachment" href="file:///etc/passwd">',
    "jinja": "{{ 7*7 }}",
    "img": '<img src="http://127.0.0.1:9/x.png">',
}


def render_pdf(spec: dict[str, Any], lang: str, *, signed: bool = False, templates_dir: Path | None = None) -> bytes:
    signoffs = [
        {"partner": p["key"], "name": p["signatory"]["name"], "title": p["signatory"]["title"],
         "signed_at": datetime(2026, 12, 1, 10, 0), "method": "electronic"}
        for p in spec["partners"]
    ] if signed else []
    context = build_agreement_context(
        spec, lang=lang, version=3, stage="framework_agreed", signed=signed, signoffs=signoffs,
        generated_on=date(2026, 11, 23),
    )
    rendered = render_html(context, templates_dir=templates_dir)
    return html_to_pdf(
        rendered.html,
        assets_dir=templates_dir or default_templates_dir(),
        attachment_json=json.dumps(spec, default=str, sort_keys=True),
        title=context["name"],
    )


class Pdf:
    """A rendered PDF and its text, with whitespace and soft hyphens normalised for searching."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() for page in self.reader.pages]
        raw = "\n".join(self.pages)
        # WeasyPrint hyphenates (U+2010 at a line end) and uses no-break spaces in amounts.
        self.text = re.sub(r"\s+", " ", re.sub("\u2010\n", "", raw).replace("\xa0", " "))
        self.dense = re.sub(r"\s+", "", raw)

    def has(self, *snippets: str) -> bool:
        return all(s in self.text for s in snippets)

    def streams(self) -> bytes:
        """Every stream in the file, decoded (the text of fonts, pages, XMP and attachments)."""
        out = []
        for number in range(1, int(self.reader.trailer["/Size"])):
            try:
                obj = self.reader.get_object(number)
            except Exception:  # noqa: BLE001 - free or compressed-away object numbers
                continue
            if isinstance(obj, StreamObject):
                out.append(obj.get_data())
        return b"\n".join(out)


@pytest.fixture(scope="module")
def example(example_raw: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(example_raw)


@pytest.fixture(scope="module")
def nl(example: dict[str, Any]) -> Pdf:
    return Pdf(render_pdf(example, "nl"))


@pytest.fixture(scope="module")
def en(example: dict[str, Any]) -> Pdf:
    return Pdf(render_pdf(example, "en"))


@pytest.fixture(scope="module")
def hostile(example: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    """A signed English version with hostile field values, rendered from a user template directory that
    tries to attach /etc/passwd directly, through a symlink, and over HTTP."""
    spec = copy.deepcopy(example)
    spec["name"] = f"Pact {HOSTILE['jinja']}"
    spec["partners"][0]["name"] = f"School {HOSTILE['script']}"
    spec["partners"][1]["address"] = HOSTILE["link"]
    spec["goals"][0]["statement"] = HOSTILE["img"]
    spec["contributions"][0]["description"] = HOSTILE["link"]
    templates = tmp_path_factory.mktemp("user") / "templates"
    shutil.copytree(default_templates_dir(), templates)
    (templates / "evil.css").symlink_to("/etc/passwd")
    page = (templates / TEMPLATE_NAME).read_text(encoding="utf-8")
    attack = ('<link rel="attachment" href="file:///etc/passwd"><link rel="attachment" href="evil.css">'
              '<link rel="stylesheet" href="evil.css"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">')
    (templates / TEMPLATE_NAME).write_text(page.replace("</head>", attack + "</head>"), encoding="utf-8")
    return Pdf(render_pdf(spec, "en", signed=True, templates_dir=templates))


class TestDutch:
    def test_result_and_effort_articles_have_distinct_wording(self, nl: Pdf) -> None:
        assert nl.has("Artikel 8 Resultaatsverplichtingen", "Artikel 9 Inspanningsverplichtingen")
        assert nl.has("De betrokken Partner is het omschreven resultaat verschuldigd")
        assert nl.has("Hij staat er niet voor in dat het doel wordt bereikt")
        assert nl.has("is niet aansprakelijk voor het uitblijven van het beoogde resultaat als zodanig")
        assert nl.has("Acceptatiecriteria Modules approved by the examination board")
        assert nl.has("Kwaliteitsgarantie Corrections free of charge for six months after acceptance")
        assert nl.has("schriftelijke ingebrekestelling")

    def test_amounts_dates_and_totals(self, nl: Pdf) -> None:
        assert nl.has("1 september 2027", "31 januari 2028", "15 januari 2027", "31 december 2029")
        assert nl.has("€ 45.000,00", "€ 60.000,00", "€ 150.000,00")
        assert nl.has("Totaal Investeringsfase € 210.000,00 1.200 uur")
        assert nl.has("Totaal Onderhoudsfase 200 uur per jaar")
        assert nl.has("roostert docenten vrij van het lesrooster voor ontwikkeltaken, ten belope van 1.200 uur")

    def test_parties_and_signatories(self, nl: Pdf, example: dict[str, Any]) -> None:
        for partner in example["partners"]:
            assert nl.has(partner["name"], partner["signatory"]["name"], partner["signatory"]["title"])
        assert nl.has("Ondertekening", "Aldus overeengekomen en ondertekend door de Partners")

    def test_draft_watermark_header_and_page_numbers(self, nl: Pdf) -> None:
        count = len(nl.pages)
        assert count >= 8
        assert all("CONCEPT" in page for page in nl.pages)
        assert all("Versie 3" in page and "Smart Industry Technician Pact" in page for page in nl.pages[1:])
        for number in (1, count):
            assert f"Pagina {number} van {count}" in nl.pages[number - 1]

    def test_parts_of_the_framework(self, nl: Pdf) -> None:
        assert nl.has("een stichting die fungeert als verbindende organisatie")
        assert nl.has("Een nieuwe partner kan uitsluitend tot de samenwerking toetreden met instemming van alle "
                      "bestaande Partners")
        assert nl.has("Monthly steering group meeting", "iedere maand een Voortgangsgesprek")
        assert nl.has("7 dagen vóór ieder Voortgangsgesprek", "binnen 3 dagen na de geplande datum")
        assert nl.has("opzegtermijn van 90 dagen", "eenmalige kwaliteitsimpuls")


class TestEnglish:
    def test_result_and_effort_articles_have_distinct_wording(self, en: Pdf) -> None:
        assert en.has("Article 8 Obligations of result", "Article 9 Obligations of effort")
        assert en.has("The Partner concerned owes the outcome described")
        assert en.has("It does not guarantee that the purpose will be achieved")
        assert en.has("is not liable for the failure to achieve the intended outcome as such")
        assert en.has("At each Check-in the Partner concerned shows the effort it has made")

    def test_amounts_dates_and_totals(self, en: Pdf) -> None:
        assert en.has("1 September 2027", "€45,000.00", "€210,000.00", "1,200 hours", "200 hours per year")
        assert en.has("Total of all Contributions €210,000.00 1,200 hours 200 hours per year")

    def test_table_of_contents_and_page_numbers(self, en: Pdf) -> None:
        count = len(en.pages)
        assert "Contents" in en.pages[1] and "Obligations of result" in en.pages[1]
        assert all(f"Page {n} of {count}" in en.pages[n - 1] for n in range(1, count + 1))
        assert all("DRAFT" in page for page in en.pages)

    def test_pdfa_identification_and_attachment(self, en: Pdf, example: dict[str, Any]) -> None:
        xmp = en.reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert b"pdfaid:part=\"3\"" in xmp and b"pdfaid:conformance=\"B\"" in xmp
        assert list(en.reader.attachments) == ["agreement.json"]
        (payload,) = en.reader.attachments["agreement.json"]
        assert json.loads(payload) == json.loads(json.dumps(example, default=str))
        assert en.reader.metadata.title == "Smart Industry Technician Pact"

    def test_signed_version_has_no_watermark_and_records_the_signoffs(self, hostile: Pdf) -> None:
        assert "DRAFT" not in hostile.text
        assert hostile.has("Signed by all Partners")
        assert hostile.text.count("signed on 1 December 2026 (electronic signature)") == 4


def test_hostile_text_prints_literally_and_nothing_is_fetched(hostile: Pdf) -> None:
    for value in HOSTILE.values():
        assert re.sub(r"\s+", "", value) in hostile.dense
    assert "Pact {{ 7*7 }}" in hostile.text and "Pact 49" not in hostile.text
    assert list(hostile.reader.attachments) == ["agreement.json"]
    assert PASSWD_MARK not in hostile.text
    assert PASSWD_MARK.encode() not in hostile.streams()
    assert PASSWD_MARK not in hostile.reader.attachments["agreement.json"][0].decode()


class TestUserTemplates:
    @pytest.fixture
    def context(self, example: dict[str, Any]) -> dict[str, Any]:
        return build_agreement_context(
            copy.deepcopy(example), lang="nl", version=1, stage="draft", signed=False, signoffs=[],
            generated_on=date(2026, 11, 23),
        )

    def test_class_traversal_is_a_template_error(self, context: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / TEMPLATE_NAME).write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
        with pytest.raises(TemplateError, match="unsafe"):
            render_html(context, templates_dir=tmp_path)

    def test_syntax_error_names_file_and_line(self, context: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / TEMPLATE_NAME).write_text("<p>one</p>\n<p>two</p>\n{% if %}\n", encoding="utf-8")
        with pytest.raises(TemplateError, match=rf"{re.escape(TEMPLATE_NAME)}, line 3"):
            render_html(context, templates_dir=tmp_path)

    def test_huge_output_is_refused(self, context: dict[str, Any], tmp_path: Path) -> None:
        (tmp_path / TEMPLATE_NAME).write_text("{{ 'x' * 50000000 }}", encoding="utf-8")
        with pytest.raises(TemplateError, match="limit"):
            render_html(context, templates_dir=tmp_path)


class TestSafeFetcher:
    def test_serves_only_assets_inside_the_directory(self, tmp_path: Path) -> None:
        from pppflow.adapters.documents.pdf import SafeFetcher

        (tmp_path / "agreement.css").write_text("p { color: black }", encoding="utf-8")
        (tmp_path / "notes.txt").write_text("not an asset", encoding="utf-8")
        (tmp_path / "evil.css").symlink_to("/etc/passwd")
        fetcher = SafeFetcher(tmp_path)
        response = fetcher.fetch((tmp_path / "agreement.css").as_uri())
        assert response.read() == b"p { color: black }" and response.content_type == "text/css"
        for url in (
            "file:///etc/passwd",
            (tmp_path / "evil.css").as_uri(),
            (tmp_path / "notes.txt").as_uri(),
            tmp_path.as_uri() + "/../../etc/passwd",
            "file://remote-host/share/agreement.css",
            "http://127.0.0.1:9/agreement.css",
            "data:text/css,p{}",
        ):
            with pytest.raises(ValueError, match="refused"):
                fetcher.fetch(url)
        assert len(fetcher.refused) == 7


def test_importing_the_renderer_does_not_import_weasyprint() -> None:
    """The CLI imports the renderer; WeasyPrint (over a second to import) must wait until a PDF is made."""
    import os
    import subprocess
    import sys

    import pppflow

    env = {**os.environ, "PYTHONPATH": str(Path(pppflow.__file__).resolve().parents[1])}
    code = "import sys, pppflow.adapters.documents.renderer; print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "False"
