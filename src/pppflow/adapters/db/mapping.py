"""The imperative mapping of the Partnership aggregate's classes onto the schema's tables."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from pppflow.adapters.db.schema import (
    admissions,
    agreement_versions,
    channels,
    contributions,
    goals,
    metadata,
    obligations,
    partners,
    partnerships,
    responsibilities,
    signoffs,
)
from pppflow.domain import model

mapper_registry = registry(metadata=metadata)
_started = False


def start_mappers() -> None:
    """Map the domain classes onto the tables; idempotent."""
    global _started
    if _started:
        return
    _started = True
    m = mapper_registry.map_imperatively
    children = {}
    for cls, table in ((model.Partner, partners), (model.Goal, goals), (model.Responsibility, responsibilities),
                       (model.Channel, channels), (model.Obligation, obligations),
                       (model.Contribution, contributions), (model.SignOff, signoffs),
                       (model.Admission, admissions), (model.AgreementVersion, agreement_versions)):
        m(cls, table)
        children["agreements" if table is agreement_versions else table.name] = relationship(
            cls, order_by=table.c.id, cascade="all, delete-orphan", lazy="selectin")
    m(model.Partnership, partnerships, version_id_col=partnerships.c.version, properties=children)
