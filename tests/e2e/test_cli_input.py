"""The real `pppflow` command meets hostile files (issue 9 §2, §6, §9): exit 2 with the problem named, quickly."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bombs import billion_laughs, deep_yaml, huge

EXAMPLE = str(Path(__file__).parents[1] / "fixtures" / "smart-industry-pact.yaml")


def test_import_refuses_bombs_with_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = {"laughs.yaml": (billion_laughs(), "an alias (*lol0) is not accepted"),
             "deep.yaml": (deep_yaml(600), "nested deeper than 64 levels"),
             "big.yaml": (huge(50 * 1024 * 1024), "too large: 52,428,800 bytes")}
    for name, (text, problem) in cases.items():
        (tmp_path / name).write_text(text)
        started = time.perf_counter()
        r = cli("partnership", "import", str(tmp_path / name))
        assert r.code == 2 and problem in r.err, r.err
        assert time.perf_counter() - started < 60  # a CLI start, on a busy machine; the parse itself is under 0.1 s
    assert cli("partnership", "list", "--json").json() == []


def test_a_yaml_error_names_the_users_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\npartners: [a\n")
    r = cli("partnership", "import", str(broken))
    assert r.code == 2 and f"{broken}, line 3, column 1" in r.err and "<unicode string>" not in r.err


def test_the_document_limit_is_a_setting(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli.env["PPPFLOW_MAX_DOCUMENT_BYTES"] = "1000"
    r = cli("partnership", "import", EXAMPLE)
    assert r.code == 2 and "at most 1,000 bytes (setting PPPFLOW_MAX_DOCUMENT_BYTES)" in r.err


def test_export_out_refuses_what_is_not_a_regular_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = cli("partnership", "import", EXAMPLE, "--json").json()["ref"]
    fifo, link, victim = tmp_path / "pipe", tmp_path / "link.yaml", tmp_path / "victim"
    os.mkfifo(fifo)
    victim.write_text("keep")
    link.symlink_to(victim)
    for target, problem in ((fifo, "it is a FIFO"), (link, "it is a symbolic link"), (Path("/dev/full"),
                            "it is a device"), (tmp_path / "nonexistent" / "dir" / "x", "does not exist")):
        r = cli("partnership", "export", ref, "--out", str(target))
        assert r.code == 2 and problem in r.err, r.err
    assert victim.read_text() == "keep" and link.is_symlink() and not (tmp_path / "nonexistent").exists()
    assert Path("/dev/full").is_char_device()
    r = cli("partnership", "export", ref, "--out", str(tmp_path / "ok.yaml"))
    assert r.code == 0 and "spec: pppflow/v1" in (tmp_path / "ok.yaml").read_text()


def test_agreement_generate_refuses_a_bad_out_before_generating(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = cli("partnership", "import", EXAMPLE, "--json").json()["ref"]
    r = cli("agreement", "generate", ref, "--out", str(tmp_path / "missing" / "a.pdf"))
    assert r.code == 2 and "does not exist" in r.err
    assert cli("agreement", "list", ref, "--json").json() == []


def test_verify_refuses_a_device_and_a_fifo_at_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo)):
        r = cli("agreement", "verify", target)
        assert r.code == 2 and "not a regular file" in r.err, r.err
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024))
    r = cli("agreement", "verify", str(pdf), "--json")
    assert r.code == 1 and r.json()["genuine"] is False
