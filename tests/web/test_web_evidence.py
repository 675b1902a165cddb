"""Evidence files through the API and the partnership page: who may attach, what is refused (and then nothing is
stored), the audit entry with the SHA-256, and who may download."""

from __future__ import annotations

import hashlib

from webapp import REF, csrf

PDF = b"%PDF-1.7\n% progress report\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)
URL = f"/api/v1/partnerships/{REF}/obligations/research/evidence"


def upload(web, who: str, data: bytes = PDF, name: str = "report.pdf", url: str = URL):  # type: ignore[no-untyped-def]
    return web.api(who).post(url, files={"file": (name, data, "application/pdf")})


def nothing_stored(web) -> bool:  # type: ignore[no-untyped-def]
    history = web.api("coco").get(f"/api/v1/partnerships/{REF}/history").json()
    return not web.store.files and not any(e["action"] == "obligation.evidence_file" for e in history) and \
        web.api("coco").get(URL).json() == []


def test_a_partner_attaches_to_its_own_obligation_and_readers_download(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    r = upload(web, "hanna")  # research is hanze's obligation
    assert r.status_code == 201, r.text
    sha = hashlib.sha256(PDF).hexdigest()
    assert r.json()["sha256"] == sha and r.json()["media_type"] == "application/pdf"
    [entry] = [e for e in web.api("coco").get(f"/api/v1/partnerships/{REF}/history").json()
               if e["action"] == "obligation.evidence_file"]
    assert entry["after"]["sha256"] == sha and entry["actor"] == "hanna" and entry["after"]["partner"] == "hanze"
    got = web.api("vera").get(f"{URL}/{sha}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''report.pdf"
    assert web.api("otto").get(f"{URL}/{sha}").status_code == 404  # acme is no party to the partnership
    assert web.api("vera").get(f"/api/v1/partnerships/{REF}/obligations/assignments/evidence/{sha}").status_code == 404
    assert [f["filename"] for f in web.api("hanna").get(URL).json()] == ["report.pdf"]


def test_refused_files_and_callers_store_nothing(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    cases = [(upload(web, "hanna", ELF, "report.pdf"), 422, "not a PDF, PNG, JPEG or plain-text"),
             (upload(web, "hanna", b"", "empty.txt"), 422, "empty"),
             (upload(web, "hanna", url=URL.replace("research", "modules-delivered")), 403, "owned by 'noorderpoort'"),
             (upload(web, "vera"), 403, "may not attach"),
             (upload(web, "lex"), 403, "may not attach"),
             (upload(web, "otto"), 404, ""),
             (upload(web, "coco", url=URL.replace("research", "nope")), 404, "no obligation 'nope'")]
    web.app.state.desk = web.desk.replace(evidence_max_bytes=len(PDF) - 1)
    cases.append((upload(web, "coco"), 422, "too big"))
    for r, status, text in cases:
        assert r.status_code == status and text in r.text, (status, r.text)
    assert nothing_stored(web)


def test_the_page_form_attaches_and_lists_the_file(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    page = c.get(f"/partnerships/{REF}")
    assert f'action="/partnerships/{REF}/obligations/research/evidence"' in page.text
    r = c.post(f"/partnerships/{REF}/obligations/research/evidence", data={"csrf_token": csrf(page)},
               files={"file": ("minutes.txt", "Notulen: één module af.\n".encode(), "text/plain")},
               follow_redirects=False)
    assert r.status_code == 303
    shown = c.get(f"/partnerships/{REF}")
    assert "Attached minutes.txt to research" in shown.text and ">minutes.txt</a>" in shown.text
    bad = c.post(f"/partnerships/{REF}/obligations/research/evidence", data={"csrf_token": csrf(shown)},
                 files={"file": ("tool.pdf", ELF, "application/pdf")})
    assert bad.status_code == 422 and "not a PDF, PNG, JPEG or plain-text" in bad.text
    assert len(web.store.files) == 1
    sha = hashlib.sha256("Notulen: één module af.\n".encode()).hexdigest()
    assert c.get(f"/partnerships/{REF}/obligations/research/evidence/{sha}").content.startswith(b"Notulen")
    assert web.browser("otto").get(f"/partnerships/{REF}/obligations/research/evidence/{sha}").status_code == 404
