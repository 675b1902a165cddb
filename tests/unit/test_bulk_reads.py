"""The cyclic collector paused for a bulk read comes back on, however the reads overlap."""

from __future__ import annotations

import gc
import threading

import pytest

from pppflow.services.bulk_reads import collector_paused


def test_nested_and_concurrent_reads_resume_the_collector_once_at_the_end_of_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_read() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    with collector_paused():
        thread = threading.Thread(target=other_read)
        thread.start()
        assert inside.wait(10)
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()   # the other thread's read is still running
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_the_collector_comes_back_after_a_read_that_fails() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the database went away")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
