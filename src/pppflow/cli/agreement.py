"""`pppflow agreement ...`: generate, list, show, sign, verify, diff, batch (legal staff)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name
from pppflow.cli.output import console, escape, print_json, print_read
from pppflow.errors import BadInput

if TYPE_CHECKING:  # imported lazily at run time: the CLI starts fast
    from pppflow.domain.model import AgreementVersion

app = typer.Typer(no_args_is_help=True, help="Agreement documents: versions, signatures, verification.")

Ref = Annotated[str, typer.Argument(help="The partnership's reference (REF).")]
Version = Annotated[int, typer.Argument(help="The version number.", min=1)]


def draft_text(v: AgreementVersion) -> str:
    """`draft: <why>` for a draft version, '' otherwise (imported lazily: the CLI starts fast)."""
    from pppflow.domain.agreement.versions import draft_text as text

    return text(v)


@app.command()
def generate(ref: Ref, lang: Annotated[str | None, typer.Option("--lang", help="en or nl (default: the "
                                                                  "governing language, i.e. the partnership's "
                                                                  "unless its spec names another); nl,en: one "
                                                                  "bilingual version")] = None,
             out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the PDF here.")] = None,
             force: Annotated[bool, typer.Option("--force", help="A new version even if nothing changed.")] = False,
             actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Generate the agreement as a new PDF/A version (reused if data and templates are unchanged)."""
    from pppflow import bootstrap
    from pppflow.adapters.documents.store import FileDocumentStore
    from pppflow.documents_io import writable_target, write_out
    from pppflow.services.agreements import generate_agreement

    if lang is not None:
        from pppflow.domain.agreement.languages import parse_languages

        parse_languages(lang, "en")  # a wrong --lang is refused before anything is read
    if out is not None:
        writable_target(out)  # a wrong --out is refused before anything is generated
    store = bootstrap.wiring().store
    g = generate_agreement(ref, uow_factory=bootstrap.wiring().uow_factory, renderer=bootstrap.wiring().renderer,
                           store=store, lifecycles=bootstrap.wiring().lifecycles, actor=actor_name(actor),
                           now=bootstrap.wiring().now(), lang=lang, force=force)
    v = g.version
    if out is not None:
        write_out(out, store.get(v.document_path))
    if json_:
        from pppflow.services.agreement_views import version_view
        from pppflow.services.read_models.agreements import GeneratedRead

        print_read(GeneratedRead, {"ref": ref, **version_view(v), "created": g.created})
        return
    verb = "generated" if g.created else "unchanged since"
    of = f", translation of v{v.translation_of}" if v.translation_of is not None else ""
    console.print(f"{escape(ref)}: {verb} version {v.number} ({draft_text(v) or v.status}, {v.language}{of})")
    where = store.root / v.document_path if isinstance(store, FileDocumentStore) else v.document_path
    console.print(f"  {escape(where)}" + (f"\n  copied to {escape(out)}" if out else ""))


@app.command("list")
def list_(ref: Ref, json_: JsonOption = False) -> None:
    """Every version of a partnership's agreement."""
    from rich.table import Table

    from pppflow import bootstrap
    from pppflow.services.agreements import version_details

    _, details = version_details(ref, uow=bootstrap.wiring().uow())
    details.reverse()  # oldest first
    versions = [d.version for d in details]
    if json_:
        from pppflow.services.agreement_views import version_item_view
        from pppflow.services.read_models.agreements import AgreementVersionItemRead

        print_read(AgreementVersionItemRead, [version_item_view(d) for d in details])
        return
    if not versions:
        console.print(f"No agreement versions yet: `pppflow agreement generate {escape(ref)}`")
        return
    table = Table(title=f"Agreement versions of {ref}", title_justify="left")
    for col in ("Version", "Status", "Stage", "Lang", "Created (UTC)", "By", "PDF SHA-256"):
        table.add_column(col)
    for d in details:
        v = d.version
        status = f"[red]{v.status}, no longer valid[/]" if v.status == "signed" and d.stale else \
            escape(draft_text(v) or v.status)
        if v.translation_of is not None:
            status += f", translation of v{v.translation_of}"
        table.add_row(str(v.number), status, v.stage, v.language, v.created_at.strftime("%Y-%m-%d %H:%M"),
                      escape(v.created_by), v.pdf_sha256[:16] + "…")
    console.print(table)
    for d in details:
        if d.version.status == "signed" and d.stale and d.version.translation_of is None:
            console.print(f"version {d.version.number} is signed but no longer valid: {escape('; '.join(d.stale))}; "
                          "generate and sign a new version")


@app.command()
def show(ref: Ref, version: Version, json_: JsonOption = False) -> None:
    """One version: its status, hashes, who signed and who has not."""
    from pppflow import bootstrap
    from pppflow.services.agreements import show_version

    d = show_version(ref, version, uow=bootstrap.wiring().uow())
    if json_:
        from pppflow.services.agreement_views import detail_view
        from pppflow.services.read_models.agreements import AgreementVersionDetailRead

        print_read(AgreementVersionDetailRead, detail_view(d))
        return
    v = d.version
    console.print(f"[bold]{escape(d.partnership.name)}[/] agreement version {v.number}: [bold]{v.status}[/]")
    if draft_text(v):
        console.print(f"  [yellow]{escape(draft_text(v))}[/]")
    console.print(f"generated {v.created_at:%Y-%m-%d %H:%M} UTC by {escape(v.created_by)} in stage {v.stage}, "
                  f"language {v.language}, template {escape(v.template_name)}")
    if v.translation_of is not None:
        console.print(f"a translation of version {v.translation_of}: not signed itself; it is valid while that "
                      "version is")
    console.print(f"PDF {escape(v.document_path)}\n  sha256 {v.pdf_sha256}")
    if v.signed_document_path:
        console.print(f"executed copy {escape(v.signed_document_path)}\n  sha256 {v.signed_pdf_sha256}")
    for s in d.signatures:
        console.print(f"  signed by {escape(s.signatory_name)} ({escape(s.signatory_title)}) for "
                      f"{escape(s.partner_key)} on {s.signed_at:%Y-%m-%d %H:%M} UTC ({s.method})")
    if d.unsigned and v.status == "final":
        console.print(f"  awaiting: {escape(', '.join(d.unsigned))}")
    for reason in d.stale:
        console.print(f"  [yellow]out of date:[/] {escape(reason)}")


@app.command()
def sign(ref: Ref, version: Version, partner: Annotated[str, typer.Option("--partner")],
         name: Annotated[str, typer.Option("--name", help="The signatory's name.")],
         title: Annotated[str | None, typer.Option("--title")] = None,
         method: Annotated[str, typer.Option("--method", help="A recorded sign-off: e.g. wet-ink")] = "recorded",
         certificate: Annotated[Path | None, typer.Option("--certificate", help="Sign the PDF (PAdES) with this "
                                                          "PKCS#12 file; the key is not stored.")] = None,
         passphrase_stdin: Annotated[bool, typer.Option("--passphrase-stdin", help="Read the .p12 passphrase from "
                                                        "the first line of standard input.")] = False,
         actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Sign one version: a PAdES signature in the PDF (--certificate) or a recorded sign-off (--method wet-ink)."""
    from pppflow import bootstrap
    from pppflow.services.agreements import sign_agreement

    common: dict[str, Any] = {"uow_factory": bootstrap.wiring().uow_factory, "renderer": bootstrap.wiring().renderer,
              "store": bootstrap.wiring().store, "actor": actor_name(actor), "now": bootstrap.wiring().now(),
              "title": title}
    if certificate is not None:
        from pppflow.services.agreement_signatures import sign_with_certificate

        if method != "recorded":
            raise BadInput("--method names how a recorded sign-off was made; leave it out with --certificate")
        try:
            p12 = certificate.read_bytes()
        except OSError as exc:
            raise BadInput(f"--certificate: cannot read {certificate}: {exc.strerror or exc}") from None
        secret = sys.stdin.readline().rstrip("\r\n").encode() if passphrase_stdin else None
        d = sign_with_certificate(ref, version, partner, name, p12=p12, passphrase=secret,
                                  policy=bootstrap.wiring().signature_policy, **common)
    else:
        if passphrase_stdin:
            raise BadInput("--passphrase-stdin goes with --certificate")
        d = sign_agreement(ref, version, partner, name, method=method, seal=bootstrap.wiring().signature_policy.seal,
                           **common)
    if json_:
        from pppflow.services.agreement_views import detail_view
        from pppflow.services.read_models.agreements import SignedRead

        print_read(SignedRead, {"ref": ref, "partner": partner, **detail_view(d)})
    elif d.version.status == "signed":
        console.print(f"version {version} is signed by every partner; executed copy: "
                      f"{escape(d.version.signed_document_path)}")
    else:
        console.print(f"{escape(partner)} signed version {version}; awaiting {escape(', '.join(d.unsigned))}")


@app.command()
def verify(file: Annotated[Path, typer.Argument(help="A PDF to check.")], json_: JsonOption = False) -> None:
    """Is this PDF a known version, and is every signature in it intact? Exit 0 if so, 1 otherwise."""
    from pppflow import bootstrap
    from pppflow.config import get_settings
    from pppflow.documents_io import read_file
    from pppflow.services.agreement_signatures import NO_TRUST_LIST, verify_signatures

    # a regular file only (a device or FIFO: exit 2), at most the upload limit: never read without bound
    data = read_file(file, limit=get_settings().max_upload_bytes)
    result = verify_signatures(data, uow=bootstrap.wiring().uow(), policy=bootstrap.wiring().signature_policy)
    r = result.document
    if json_:
        from pppflow.services.agreement_views import verification_view
        from pppflow.services.read_models.agreements import VerificationRead

        print_read(VerificationRead, verification_view(result))
    elif r.genuine:
        kind = {"executed": "executed (signed) copy", "version": "document"}.get(r.copy or "", r.copy)
        console.print(f"[green]genuine[/]: {kind} of version {r.version} of {escape(r.ref)} ({r.status}), "
                      f"{len(r.signatures)} signature(s)")
    else:
        console.print(f"[red]not genuine[/]: no agreement version has SHA-256 {r.sha256} "
                      "(unknown to this pppflow, or altered)")
    if not json_:
        for c in result.signatures:
            state = "[green]intact[/]" if c.intact else f"[red]NOT intact[/] ({c.modifications} after it)"
            trust = ("trusted" if c.trusted else "[red]not trusted[/]") if result.trust_list else NO_TRUST_LIST
            when = f"{c.signed_at:%Y-%m-%d %H:%M} UTC" if c.signed_at else "time unknown"
            console.print(f"  signature {escape(c.field)}: {escape(c.signer)} ({escape(c.subject)}), {when}"
                          f"{', timestamped' if c.timestamped else ''}: {state}, covers the {c.coverage}, {trust}")
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def diff(ref: Ref, v1: Version, v2: Version, json_: JsonOption = False) -> None:
    """What changed between two versions, article by article."""
    from pppflow import bootstrap
    from pppflow.services.agreements import diff_versions

    diffs = diff_versions(ref, v1, v2, uow=bootstrap.wiring().uow(), store=bootstrap.wiring().store)
    if json_:
        from pppflow.services.read_models.agreements import VersionDiffRead

        print_read(VersionDiffRead, diffs)
        return
    if not diffs:
        from pppflow.domain.agreement.diff import change_words
        from pppflow.services.agreements import show_version

        lang = show_version(ref, v2, uow=bootstrap.wiring().uow()).version.language.split(",")[0]
        console.print(change_words(lang)["same"].format(old=v1, new=v2))
    for d in diffs:
        console.print(f"\n[bold]{escape(d.article)}[/] ({d.change_label or d.change})")
        for line in d.lines:
            colour = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            console.print(f"[{colour}]{escape(line)}[/]", soft_wrap=True)


@app.command()
def batch(stage: Annotated[str | None, typer.Option("--stage", help="Only partnerships in this stage.")] = None,
          workers: Annotated[int | None, typer.Option("--workers", min=1, help="Processes (default: one per core)")]
          = None, actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Generate the agreements of many partnerships in parallel, with a progress bar."""
    from rich.progress import Progress

    from pppflow import bootstrap
    from pppflow.services.agreement_batch import generate_many
    from pppflow.services.partnerships import list_partnerships

    refs = [p.ref for p in list_partnerships(uow=bootstrap.wiring().uow(), stage=stage)]
    with Progress(console=console.real(), disable=json_ or not refs) as progress:
        task = progress.add_task("generating agreements", total=len(refs))
        results = generate_many(refs, wiring=bootstrap.wiring, actor=actor_name(actor), now=bootstrap.wiring().now(),
                                workers=workers, on_done=lambda _: progress.advance(task))
    failed = [r for r in results if r.error]
    if json_:
        print_json([r.__dict__ for r in results])
    else:
        created = sum(r.created for r in results)
        console.print(f"{len(results)} partnership(s): {created} new version(s), "
                      f"{len(results) - created - len(failed)} unchanged, {len(failed)} failed")
        for r in failed:
            console.print(f"  [red]{escape(r.ref)}[/]: {escape(r.error)}")
    if failed:
        raise typer.Exit(1)


from pppflow.cli import agreement_files as _agreement_files  # noqa: E402,F401 - registers its commands
