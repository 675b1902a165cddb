"""Read schema of an evidence file attached to an obligation."""

from __future__ import annotations

from datetime import datetime

from pppflow.services.read_models.base import ReadModel


class EvidenceFileRead(ReadModel):
    ref: str
    obligation: str
    sha256: str
    filename: str
    media_type: str
    size: int
    attached_by: str
    attached_at: datetime
