"""schemathesis against the OpenAPI description: generated requests to every operation never meet a 5xx.

Bounded: a few examples per operation (positive and negative data), a few seconds in all. The operations are
driven with Hypothesis directly (schemathesis' pytest plugin does not yet run on pytest 9).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from webapp import close, make_web

EXAMPLES = 6
c = schemathesis.checks
CHECKS = [c.not_a_server_error, c.status_code_conformance, c.content_type_conformance, c.response_schema_conformance]


def test_no_operation_answers_with_a_server_error(tmp_path: Path, database_url: str) -> None:
    """On SQLite and on PostgreSQL, which refuses some values SQLite takes (a NUL character in text)."""
    web = make_web(tmp_path, database_url=database_url)
    try:
        web.import_example()  # so that generated references sometimes meet a real partnership
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web.app)
        headers = {"Authorization": f"Bearer {web.tokens['admin']}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 20
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, headers)
    finally:
        close(web)


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run()
