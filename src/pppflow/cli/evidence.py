"""`pppflow obligation attach`: attach an evidence file (PDF, PNG, JPEG or plain text) to an obligation;
`read_evidence_file` is shared with `pppflow ledger attach` and `ledger add --evidence-file`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name
from pppflow.cli.output import console, escape, print_read


def read_evidence_file(file: Path, limit: int) -> bytes:
    """The file's bytes; BadInput naming `file` when it is missing, a folder, unreadable or over the limit."""
    from pppflow.errors import BadInput

    try:
        if file.stat().st_size > limit:  # refuse before reading a huge file into memory
            raise BadInput("the evidence file is too big", details=[
                f"file: {file.stat().st_size:,} bytes; at most {limit:,} bytes (PPPFLOW_EVIDENCE_MAX_BYTES)"])
        return file.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no such file: {file}", details=["file: not found"]) from None
    except IsADirectoryError:
        raise BadInput(f"{file} is a folder, not a file", details=["file: a folder"]) from None
    except OSError as exc:
        raise BadInput(f"cannot read {file}: {exc.strerror}", details=["file: unreadable"]) from None


def attach(ref: Annotated[str, typer.Argument(help="The partnership's reference.")],
           key: Annotated[str, typer.Argument(help="The obligation's key.")],
           file: Annotated[Path, typer.Argument(help="The evidence file: PDF, PNG, JPEG or plain text.")],
           partner: Annotated[str | None, typer.Option(
               "--partner", help="Attach for this partner: the obligation must be its own.")] = None,
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Attach an evidence file to an obligation; its type is read from the content, its SHA-256 is audited."""
    from pppflow import bootstrap
    from pppflow.config import get_settings
    from pppflow.services.evidence import attach_file

    limit = get_settings().evidence_max_bytes
    data = read_evidence_file(file, limit)
    attached = attach_file(ref, key, file.name, data, uow=bootstrap.wiring().uow(), store=bootstrap.wiring().store,
                           actor=actor_name(actor), now=bootstrap.wiring().now(), limit=limit, party=partner)
    if json_:
        from pppflow.services.read_models.evidence import EvidenceFileRead
        from pppflow.services.views import evidence_view

        print_read(EvidenceFileRead, evidence_view(ref, attached))
    else:
        console.print(f"attached {escape(attached.filename)} ({attached.media_type}, {attached.size:,} bytes) to "
                      f"obligation {escape(key)}; sha256 {attached.sha256}")
