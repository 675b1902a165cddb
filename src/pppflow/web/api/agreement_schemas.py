"""Request bodies of the REST API for agreement documents (`XCreate`); answers: services/read_models/agreements.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pppflow.web.api.schemas import _In


class AgreementGenerateCreate(_In):
    lang: (Annotated[str, StringConstraints(pattern=r"^(en|nl)(,(en|nl))?$")]
           | Annotated[list[Literal["en", "nl"]], Field(min_length=1, max_length=2)] | None) = Field(
        default=None, description="en or nl, or both for one bilingual version (\"nl,en\" or [\"nl\", \"en\"]); "
                                  "default: the governing language (the partnership's unless its spec names "
                                  "another); a version without the governing language is a courtesy translation")
    force: bool = Field(default=False, description="a new version even if nothing changed")



class SignatureCreate(_In):
    partner: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200, description="the partner's signatory")
    title: str | None = Field(default=None, max_length=200)
    method: str = Field(default="recorded", min_length=1, max_length=40, examples=["wet-ink", "e-signature"])

