"""JSON answers written straight from the representations, without ninja's second pass.

ninja validates what a view returns against the declared response schema, dumps the validated model
and encodes it: for a page of twenty dossiers that costs more CPU than reading them. The busy read
endpoints return `json_response(schema, data)` instead: the data is encoded as it is (pydantic-core's
encoder; UTF-8, no escapes). With MOTCUA["VALIDATE_RESPONSES"] (DEBUG and the test settings) the
data is also validated against the schema and must come out of the schema unchanged, so the
representations cannot drift from the contract without a test failing.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from pydantic import TypeAdapter
from pydantic_core import from_json, to_json

CONTENT_TYPE = "application/json; charset=utf-8"


class ResponseDrift(AssertionError):
    """A fast-path answer that its declared schema would change or refuse."""


@functools.cache
def _adapter(schema: Any) -> TypeAdapter[Any]:
    return TypeAdapter(schema)


def check_response(schema: Any, data: Any) -> None:
    adapter = _adapter(schema)
    as_sent = from_json(to_json(data))
    as_declared = adapter.dump_python(adapter.validate_python(data), mode="json", by_alias=True)
    if as_declared != as_sent:
        raise ResponseDrift(f"the answer differs from its schema {schema!r}:\nsent     {as_sent!r}\n"
                            f"declared {as_declared!r}")


def json_response(schema: Any, data: Any, status: int = 200) -> HttpResponse:
    if settings.MOTCUA.get("VALIDATE_RESPONSES"):
        check_response(schema, data)
    return HttpResponse(to_json(data), status=status, content_type=CONTENT_TYPE)
