"""What every request acts through: the app's `Wiring` (the same adapters and services the CLI uses), one per app."""

from __future__ import annotations

from fastapi import Request

from pppflow.wiring import Wiring

Desk = Wiring  # the web app's name for its wiring: `app.state.desk`


async def desk_of(request: Request) -> Desk:
    """The app's desk (a FastAPI dependency; async because it does no I/O, so it runs without a thread)."""
    desk: Desk = request.app.state.desk
    return desk
