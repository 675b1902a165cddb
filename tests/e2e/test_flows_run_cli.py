"""`pppflow flows run` when the temporary Prefect server is too slow: a message naming the setting, not a bug."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # imports Prefect and starts its temporary server


def test_a_temporary_server_that_does_not_start_in_time_is_explained(cli) -> None:  # type: ignore[no-untyped-def]
    cli.env.pop("PREFECT_API_URL", None)
    cli.env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "1"  # no machine starts it within a second
    r = cli("flows", "run", "send_checkin_reminders")
    assert r.code == 1, r.err
    assert "error: the temporary Prefect server did not start in time; nothing was run" in r.err
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (now 1 s)" in r.err and "pppflow serve" in r.err
    assert "internal error" not in r.err
