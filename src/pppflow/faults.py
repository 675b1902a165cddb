"""Named fault points for the fault-injection tests: the process kills itself (SIGKILL) at the point named by
`PPPFLOW_FAULT_AT`, as a power cut or `kill -9` would at that instant. Unset (always, outside those tests) it does
nothing.
"""

from __future__ import annotations

import os
import signal


def fault_point(name: str) -> None:
    """Die here, without cleanup, when the settings name this point."""
    from pppflow.config import get_settings

    if get_settings().fault_at == name:
        os.kill(os.getpid(), signal.SIGKILL)
