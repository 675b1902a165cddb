"""The interchange format's version tag, apart from its models: writing a spec needs the tag, not pydantic."""

SPEC_VERSION = "pppflow/v1"
