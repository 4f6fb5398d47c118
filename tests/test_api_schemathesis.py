"""Property-based tests generated from the published OpenAPI description (schemathesis, in
process through its WSGI support, on the test database): for every operation a few generated
requests, with a read-write token of the project lead, half of them at the ids of real records;
never a server error, and every answer as described (status, media type, JSON shape)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .api_helpers import bearer, token_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A few examples per operation: the suite stays fast; CI runs it on every change.
EXAMPLES = 3


def test_every_operation_answers_as_described(app, world, url_args):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    secret = token_for(world["users"]["projectleider"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    answered: list[int] = []

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), real=st.booleans())
        def check(case, real):
            if real and case.path_parameters:
                case.path_parameters = {name: url_args[name] for name in case.path_parameters}
            response = case.call_and_validate(headers=bearer(secret), checks=CHECKS)
            answered.append(response.status_code)

        check()
    # Generated requests reached the views: real records read (200) and bad input refused (4xx).
    assert len(answered) >= 2 * len(operations)
    assert 200 in answered and any(400 <= code < 500 for code in answered)
