"""The pages of CLI parity: amend from an uploaded spec (what would change, then confirm), the agreement diff,
and the renewal path (advance `renew` with its reason on the partnership page, then amend the term)."""

from __future__ import annotations

import html
import re

import yaml

from test_web_api_amendments import exported, walk_to_review
from webapp import REF, csrf

PAGE = f"/partnerships/{REF}"


def upload(c, spec: dict, reason: str = "a longer pact"):  # type: ignore[no-untyped-def, type-arg]
    form = c.get(f"{PAGE}/amend")
    assert form.status_code == 200
    return c.post(f"{PAGE}/amend/preview", data={"reason": reason, "csrf_token": csrf(form)},
                  files={"file": ("revised.yaml", yaml.dump(spec, Dumper=NoAliases, allow_unicode=True).encode(),
                                  "text/yaml")})


class NoAliases(yaml.SafeDumper):
    """Shared values written out in full: pppflow refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def confirm(c, preview):  # type: ignore[no-untyped-def]
    spec = html.unescape(re.search(r'<textarea name="spec"[^>]*>(.*?)</textarea>', preview.text, re.S).group(1))
    based_on = re.search(r'name="based_on" value="([0-9a-f]{64})"', preview.text).group(1)
    reason = html.unescape(re.search(r'name="reason" value="([^"]*)"', preview.text).group(1))
    return c.post(f"{PAGE}/amend", data={"spec": spec, "reason": reason, "based_on": based_on,
                                         "csrf_token": csrf(preview)}, follow_redirects=False)


def test_amend_shows_what_would_change_and_confirming_saves_it(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    assert f'href="{PAGE}/amend"' in c.get(PAGE).text
    spec = exported(web)
    spec["term"]["months"] = 48
    preview = upload(c, spec)
    assert preview.status_code == 200 and "What would change" in preview.text
    assert "months: 36" in preview.text and "months: 48" in preview.text
    assert exported(web)["term"]["months"] == 36  # nothing saved by the preview
    r = confirm(c, preview)
    assert r.status_code == 303 and r.headers["location"] == PAGE
    assert "Amended: term" in c.get(PAGE).text and exported(web)["term"]["months"] == 48
    stale = confirm(c, preview)
    assert stale.status_code == 409 and "changed since the amendment was previewed" in stale.text


def test_amend_refuses_bad_specs_and_other_roles_and_stores_nothing(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    spec = exported(web)
    r = upload(c, {**spec, "term": {**spec["term"], "months": "many"}})
    assert r.status_code == 422 and "term.months" in r.text
    added = {**spec, "partners": [*spec["partners"], {**spec["partners"][0], "key": "acme", "name": "Acme"}]}
    r = upload(c, added)
    assert r.status_code == 409 and "cannot add or remove partners" in r.text
    form = c.get(f"{PAGE}/amend")
    r = c.post(f"{PAGE}/amend/preview", data={"csrf_token": csrf(form)})
    assert r.status_code == 422 and "choose the revised spec file" in r.text
    r = c.post(f"{PAGE}/amend/preview", data={"csrf_token": csrf(form)},
               files={"file": ("revised.yaml", b"name: [unclosed", "text/yaml")})
    assert r.status_code == 422 and "not valid YAML" in r.text
    assert web.browser("vera").get(f"{PAGE}/amend").status_code == 403
    assert web.browser("otto").get(f"{PAGE}/amend").status_code == 404
    actions = [e["action"] for e in web.api("vera").get(f"/api/v1/partnerships/{REF}/history").json()]
    assert actions == ["partnership.import"]


def test_the_diff_page_compares_two_versions(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    lex = web.api("lex")
    lex.post(f"/api/v1/partnerships/{REF}/agreements", json={"lang": "nl,en"})
    spec = exported(web)
    spec["name"] = "Smart Industry Technician Pact North"
    web.api("coco").post(f"/api/v1/partnerships/{REF}/amendments", json={"spec": spec})
    lex.post(f"/api/v1/partnerships/{REF}/agreements", json={"lang": "nl,en"})
    c = web.browser("vera")
    agreements = c.get(f"{PAGE}/agreements")
    assert f'action="{PAGE}/agreements/diff"' in agreements.text
    r = c.get(f"{PAGE}/agreements/diff", params={"from": 1, "to": 2})
    assert r.status_code == 200 and "<ins>" in r.text and "Smart Industry Technician Pact North" in r.text
    assert c.get(f"{PAGE}/agreements/diff", params={"from": 1, "to": 9}).status_code == 404
    assert c.get(f"{PAGE}/agreements/diff", params={"from": "x", "to": 2}).status_code == 422
    assert web.browser("otto").get(f"{PAGE}/agreements/diff", params={"from": 1, "to": 2}).status_code == 404


def test_the_renewal_path_on_the_pages(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    walk_to_review(web)
    c = web.browser("coco")
    page = c.get(PAGE)
    assert 'value="renew"' in page.text
    r = c.post(f"{PAGE}/advance", data={"trigger": "renew", "reason": "three more years",
                                        "csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    spec = exported(web)
    spec["term"] = {**spec["term"], "start": "2030-01-01"}
    preview = upload(c, spec, reason="renewed term")
    assert "start: &#39;2030-01-01&#39;" in preview.text or "2030-01-01" in preview.text
    assert confirm(c, preview).status_code == 303
    entries = web.api("vera").get(f"/api/v1/partnerships/{REF}/history").json()
    [renew] = [e for e in entries if e["action"] == "transition" and e["after"]["trigger"] == "renew"]
    [amended] = [e for e in entries if e["action"] == "partnership.amend"]
    assert renew["reason"] == "three more years" and amended["reason"] == "renewed term"
    assert exported(web)["term"]["start"] == "2030-01-01"
