"""`pppflow obligation attach`: attach an evidence file (PDF, PNG, JPEG or plain text) to an obligation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pppflow.cli.context import ActorOption, JsonOption, actor_name
from pppflow.cli.output import console, escape, print_json


def attach(ref: Annotated[str, typer.Argument(help="The partnership's reference.")],
           key: Annotated[str, typer.Argument(help="The obligation's key.")],
           file: Annotated[Path, typer.Argument(help="The evidence file: PDF, PNG, JPEG or plain text.")],
           partner: Annotated[str | None, typer.Option(
               "--partner", help="Attach for this partner: the obligation must be its own.")] = None,
           actor: ActorOption = None, json_: JsonOption = False) -> None:
    """Attach an evidence file to an obligation; its type is read from the content, its SHA-256 is audited."""
    from pppflow import bootstrap
    from pppflow.config import get_settings
    from pppflow.errors import BadInput
    from pppflow.services.evidence import attach_file

    limit = get_settings().evidence_max_bytes
    try:
        if file.stat().st_size > limit:  # refuse before reading a huge file into memory
            raise BadInput("the evidence file is too big", details=[
                f"file: {file.stat().st_size:,} bytes; at most {limit:,} bytes (PPPFLOW_EVIDENCE_MAX_BYTES)"])
        data = file.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no such file: {file}", details=["file: not found"]) from None
    except IsADirectoryError:
        raise BadInput(f"{file} is a folder, not a file", details=["file: a folder"]) from None
    except OSError as exc:
        raise BadInput(f"cannot read {file}: {exc.strerror}", details=["file: unreadable"]) from None
    attached = attach_file(ref, key, file.name, data, uow=bootstrap.wiring().uow(), store=bootstrap.wiring().store,
                           actor=actor_name(actor), now=bootstrap.wiring().now(), limit=limit, party=partner)
    if json_:
        print_json({"ref": ref, "obligation": key, "sha256": attached.sha256, "filename": attached.filename,
                    "media_type": attached.media_type, "size": attached.size})
    else:
        console.print(f"attached {escape(attached.filename)} ({attached.media_type}, {attached.size:,} bytes) to "
                      f"obligation {escape(key)}; sha256 {attached.sha256}")
