"""The base of every read schema: built from dicts or objects (`from_attributes`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
