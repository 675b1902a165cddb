"""The one input/output layer: bounded parsing (issue 9 §2), messages in the user's file (issue 13), `--out`
(issue 9 §9) and streamed reading of regular files only (issue 9 §6)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bombs import BOMBS, billion_laughs, deep_json, deep_yaml, huge
from pppflow.documents_io import (
    MAX_DEPTH,
    file_sha256,
    parse_document,
    read_file,
    writable_target,
    write_out,
)
from pppflow.errors import BadInput

REFUSALS = {
    "billion-laughs.yaml": "billion-laughs.yaml, line 2, column 14: an alias (*lol0) is not accepted",
    "anchor-2000.yaml": "anchor-2000.yaml, line 5, column 26: an alias (*big) is not accepted",
    "deep.yaml": "deep.yaml, line 65, column 129: nested deeper than 64 levels",
    "deep.json": "deep.json, line 1, column 65: nested deeper than 64 levels",
    "duplicate-keys.yaml": "duplicate-keys.yaml, line 6, column 3: the key term.months is written twice",
    "duplicate-keys.json": "duplicate-keys.json: the key partners[0].name is written twice",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_each_bomb_is_refused_before_expansion_naming_the_problem(name: str) -> None:
    text = BOMBS[name]()
    started = time.perf_counter()
    with pytest.raises(BadInput) as refused:
        parse_document(text, name)
    # measured under 0.1 s in bench/input_bench.py; an expanded bomb takes minutes and gigabytes: generous for a
    # busy machine
    assert time.perf_counter() - started < 10
    assert refused.value.message == f"{name} is not accepted"
    assert refused.value.details[0].startswith(REFUSALS[name]), refused.value.details


def test_a_file_past_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(BadInput) as refused:
        parse_document(huge(3 * 1024 * 1024).encode(), "big.yaml")
    assert refused.value.message.startswith("big.yaml is too large: 3,145,728 bytes")
    assert "at most 2,097,152 bytes (setting PPPFLOW_MAX_DOCUMENT_BYTES)" in refused.value.details[0]
    with pytest.raises(BadInput, match="too large"):
        parse_document("a: 12345\n", "small.yaml", limit=8)


def test_nesting_up_to_the_limit_is_accepted_and_one_more_level_refused() -> None:
    assert parse_document(deep_json(MAX_DEPTH), "ok.json") is not None
    assert parse_document("[" * MAX_DEPTH + "]" * MAX_DEPTH, "ok.yaml") is not None
    for text, name in ((deep_json(MAX_DEPTH + 1), "x.json"), ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
                                                               "x.yaml"), (deep_yaml(1000), "d.yaml")):
        with pytest.raises(BadInput, match="not accepted"):
            parse_document(text, name)


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    assert parse_document('{"a": "' + "[" * 500 + '"}', "s.json") == {"a": "[" * 500}


def test_an_anchor_without_an_alias_is_harmless_and_accepted() -> None:
    assert parse_document("a: &name 1\nb: 2\n", "a.yaml") == {"a": 1, "b": 2}


def test_a_key_repeated_in_different_mappings_is_fine() -> None:
    assert parse_document("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n", "a.yaml")["c"] == [{"x": 1}, {"x": 2}]


def test_endless_numbers_and_non_numbers_are_refused() -> None:
    with pytest.raises(BadInput) as refused:
        parse_document("amount: " + "9" * 5001 + "\n", "a.yaml")
    assert refused.value.details == ["a.yaml, line 1, column 9: a number of more than 100 digits"]
    with pytest.raises(BadInput) as refused:
        parse_document('{"amount": ' + "9" * 5001 + "}", "a.json")
    assert "more than 100 digits" in refused.value.details[0]
    with pytest.raises(BadInput) as refused:
        parse_document('{"amount": Infinity}', "a.json")
    assert refused.value.details == ["a.json: Infinity is not a number JSON allows"]


def test_a_yaml_syntax_error_names_line_and_column_in_the_users_file() -> None:
    with pytest.raises(BadInput) as refused:
        parse_document("name: x\npartners: [a, b\n", "my-pact.yaml")
    assert refused.value.message == "my-pact.yaml is not valid YAML"
    (detail,) = refused.value.details
    assert detail.startswith("my-pact.yaml, line 3, column 1: while parsing a flow sequence")
    assert "<unicode string>" not in detail and 'in "' not in detail


def test_a_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(BadInput) as refused:
        parse_document('{\n  "a": 1\n  "b": 2\n}', "x.json")
    assert refused.value.details == ["x.json, line 3, column 3: Expecting ',' delimiter"]


def test_not_utf8_is_refused() -> None:
    with pytest.raises(BadInput, match="not UTF-8"):
        parse_document(b"name: \xff\xfe\n", "a.yaml")


def test_python_tags_are_not_constructed() -> None:
    with pytest.raises(BadInput, match="not valid YAML"):
        parse_document("a: !!python/object/apply:os.system [echo hi]\n", "a.yaml")


# --- --out ----------------------------------------------------------------------------------------------------

def test_out_writes_a_new_or_existing_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    write_out(target, "a: 1\n")
    write_out(target, b"a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]  # no temporary file left


def test_out_refuses_a_missing_folder_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as refused:
        write_out(tmp_path / "nonexistent" / "dir" / "x.yaml", "a: 1\n")
    assert "the folder" in refused.value.message and "does not exist" in refused.value.message
    assert list(tmp_path.iterdir()) == []


def test_out_refuses_a_symlink_and_leaves_it_and_its_target_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "link.yaml"
    link.symlink_to(victim)
    with pytest.raises(BadInput, match="it is a symbolic link"):
        write_out(link, "a: 1\n")
    assert link.is_symlink() and victim.read_text() == "keep"


def test_out_refuses_a_fifo_and_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="it is a FIFO"):
        write_out(fifo, "a: 1\n")
    with pytest.raises(BadInput, match="it is a device"):
        writable_target(Path("/dev/null"))
    with pytest.raises(BadInput, match="it is a folder"):
        writable_target(tmp_path)
    assert Path("/dev/null").is_char_device()


# --- reading ------------------------------------------------------------------------------------------------

def test_reading_refuses_devices_fifos_and_folders_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no writer: a plain open() would block forever
    for path in (Path("/dev/zero"), fifo, tmp_path):
        with pytest.raises(BadInput, match="not a regular file"):
            read_file(path)
        with pytest.raises(BadInput, match="not a regular file"):
            file_sha256(path)
    with pytest.raises(BadInput, match="no such file"):
        read_file(tmp_path / "missing.yaml")


def test_reading_a_file_past_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    with pytest.raises(BadInput, match="too large: 101 bytes"):
        read_file(big, limit=100)
    assert read_file(big, limit=101) == b"x" * 101


def test_a_file_is_hashed_in_pieces_to_the_same_digest(tmp_path: Path) -> None:
    import hashlib

    data = os.urandom(3 * 1024 * 1024 + 7)
    (tmp_path / "a.pdf").write_bytes(data)
    assert file_sha256(tmp_path / "a.pdf") == hashlib.sha256(data).hexdigest()


def test_the_laughs_grow_with_levels_but_the_refusal_does_not() -> None:
    assert len(billion_laughs(9)) < 3 * 1024
