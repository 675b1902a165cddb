"""Documents in and out, the one way for the CLI, the API and the pages (issue 14's one input/output layer).

    parsing.py   the bounded YAML/JSON parser and the dump: pure, text in and data out
    files.py     reading regular files only (within a limit, or in pieces for hashing) and the atomic write,
                 with the checks of a user's `--out`
"""

from __future__ import annotations

from pppflow.documents_io.files import (
    chunks,
    file_sha256,
    open_regular,
    read_file,
    replace_file,
    writable_target,
    write_out,
)
from pppflow.documents_io.parsing import (
    DEFAULT_MAX_BYTES,
    MAX_DEPTH,
    MAX_NUMBER_DIGITS,
    dump_document,
    parse_document,
    parse_json,
    parse_yaml,
)

__all__ = ["DEFAULT_MAX_BYTES", "MAX_DEPTH", "MAX_NUMBER_DIGITS", "chunks", "dump_document", "file_sha256",
           "open_regular", "parse_document", "parse_json", "parse_yaml", "read_file", "replace_file",
           "writable_target", "write_out"]
