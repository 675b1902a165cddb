"""Request bodies of the REST API for agreement documents (`XCreate`); answers: services/read_models/agreements.py."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pppflow.web.api.schemas import _In


class AgreementGenerateCreate(_In):
    lang: Literal["en", "nl"] | None = Field(default=None, description="default: the partnership's language")
    force: bool = Field(default=False, description="a new version even if nothing changed")



class SignatureCreate(_In):
    partner: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200, description="the partner's signatory")
    title: str | None = Field(default=None, max_length=200)
    method: str = Field(default="recorded", min_length=1, max_length=40, examples=["wet-ink", "e-signature"])

