"""The Word export of a version: an API download and a link on the agreements page."""

from __future__ import annotations

import io

import docx

from webapp import REF


def test_word_download_from_the_api_and_the_page(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    assert web.api("lex").post(f"/api/v1/partnerships/{REF}/agreements").status_code == 200
    r = web.api("vera").get(f"/api/v1/partnerships/{REF}/agreements/1/docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{REF}-v1.docx"' in r.headers["content-disposition"]
    headings = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs if p.style.name.startswith("Heading")]
    assert "name" in headings and "parties" in headings  # the fake renderer's sections, one heading each
    assert web.api("vera").get(f"/api/v1/partnerships/{REF}/agreements/9/docx").status_code == 404
    page = web.browser("vera").get(f"/partnerships/{REF}/agreements")
    assert f"/partnerships/{REF}/agreements/1.docx" in page.text
    assert web.browser("vera").get(f"/partnerships/{REF}/agreements/1.docx").content.startswith(b"PK")
