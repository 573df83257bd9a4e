"""Property-based run of the served OpenAPI document against the emulator.

Schemathesis generates valid and invalid requests for every operation; the
emulator must never answer 500, and every answer must match the document:
its status codes, content types, headers and body schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.support.emulator import RunningEmulator, running_emulator

# Bounded so the whole run stays well under a minute on two cores.
EXAMPLES_PER_OPERATION = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[RunningEmulator]:
    # A server of its own: fuzzing changes state other tests rely on.
    with running_emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def tokens(fuzzed: RunningEmulator) -> dict[str, str]:
    return {"partner": fuzzed.partner_token(), "terminal": fuzzed.terminal_token()}


@pytest.fixture(scope="module")
def api_schema(fuzzed: RunningEmulator) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzzed.url}/openapi.json")


def _headers(case: schemathesis.Case[Any], tokens: dict[str, str]) -> dict[str, str]:
    # Authorised calls reach the business rules; without a token every call
    # would stop at 401.
    if case.path.startswith("/Auth/"):
        return {}
    kind = "terminal" if case.path.startswith("/Api/terminal/") else "partner"
    return {"Authorization": f"Bearer {tokens[kind]}"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_no_schema_violation(
    api_schema: schemathesis.BaseSchema, tokens: dict[str, str], mode: GenerationMode
) -> None:
    # Each operation gets its own bounded run, so every one is exercised;
    # failures are gathered so one report names every broken operation.
    failures: list[str] = []
    results = list(api_schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "the document has a broken operation"
    assert len(operations) >= 20

    for operation in operations:
        # Terminal calls go to the terminal's own location, or all stop at 403.
        fixed = {"location": "BH1"} if "{location}" in operation.path else None
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(headers=_headers(case, tokens), checks=CHECKS)

        try:
            run()
        except Exception as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")

    assert not failures, "\n\n".join(failures)
