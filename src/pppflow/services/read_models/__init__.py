"""The read schemas: one pydantic model per record, the JSON of both `--json` and the API.

The CLI imports these modules inside its commands (building pydantic models costs start-up time); the API names them
as `response_model`. `as_json` shapes data the way FastAPI does for a response: through the model, in JSON mode, so
dates are ISO strings and decimals exact strings in both.
"""

from __future__ import annotations

from typing import Any


def as_json(model: Any, data: Any) -> Any:
    """`data` (a dict or an object, or a list of them) through `model`, as plain JSON values."""
    if isinstance(data, list):
        return [as_json(model, x) for x in data]
    return model.model_validate(data).model_dump(mode="json", by_alias=True)
