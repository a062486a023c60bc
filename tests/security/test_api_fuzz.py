"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json and calls the app
in-process (WSGI) with a Bearer token: no server error, and every response matches the schema
(documented status code, content type, body schema, headers; schemathesis' default checks).

Every operation of the document is fuzzed, so a domain's new API is covered the day it is added.
(The operations are iterated by hand: schemathesis' lazy pytest fixture loader does not work with
pytest 9, and the schema must come from the test app, whose database holds the token.)
"""

import itertools
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from marshmallow import ValidationError
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.dbutil import db_kind
from tests.security.conftest import report

#: examples per operation: the longer run on the production database (PostgreSQL: integer ranges, strictness of
#: types and encodings), a shorter one on SQLite, which still calls every operation (`make test` runs both passes).
#: 10 on PostgreSQL: 25 took 150 s of the pass and found nothing 10 did not (every operation is also called with
#: the world's real objects below, which is where the database's answers differ)
MAX_EXAMPLES = 10 if db_kind() == "postgresql" else 8
#: negative mode (bodies and parameters that break the document: every one must answer 4xx, never 2xx or 5xx):
#: the server refuses them with the schema, before any query, so the mode runs in the SQLite pass only
#: (`sqlite_only` below), with 5 examples per operation (it had 4 there and 12 on PostgreSQL), plus 3 with the
#: world's objects in the path
NEGATIVE_EXAMPLES = 5
#: negative examples with the world's objects in the path (so the body reaches the schema behind the 404 check)
NEGATIVE_WORLD_EXAMPLES = 3
BASE_URL = "http://staedtenetz.test"


def _endpoint(app, operation):
    """The url_map endpoint of an operation (for endpoint-scoped world values such as "slug")."""
    method = operation.method.upper()
    path = operation.full_path if hasattr(operation, "full_path") else operation.path
    for rule in app.url_map.iter_rules():
        flask_path = rule.rule.replace("<int:", "<").replace("<", "{").replace(">", "}")
        if flask_path == path and method in rule.methods:
            return rule.endpoint
    return None


def _schema_refusal(app, endpoint, case):
    """What the server's own schema (smorest's @arguments) refuses of a request the document allows: nothing.

    A 422 to a schema-valid request is a business rule the document cannot state (an id that does not exist, an
    end before the start); schemathesis' positive_data_acceptance would count it, so it is replaced by this
    check: the schemas the document is made of accept every request the document allows."""
    view = app.view_functions.get(endpoint)
    for param in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        data = case.body if param["in"] == "json" else case.query if param["in"] == "query" else None
        schema = param["schema"]
        schema = schema() if isinstance(schema, type) else schema
        try:
            schema.load(data if data is not None else {})
        except ValidationError as exc:
            return exc.messages
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE,
                                  pytest.param(GenerationMode.NEGATIVE, marks=pytest.mark.sqlite_only)],
                         ids=["positive", "negative"])
def test_api_conforms_to_its_schema(app, world, mode):
    """As the coordinator (who may call every operation), with the world's objects in the database.

    Positive: requests that fit the document; no server error, every answer as documented. Negative: requests that
    break it (wrong types, missing required fields, values out of range or enum); each is refused with 4xx in the
    error envelope, since the server checks the body with the schema the document is made of."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {world.principals['coordinator'].token}"}
    failures, operations, calls, statuses = [], 0, [0], {}
    negative = mode == GenerationMode.NEGATIVE
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        def fuzz_with(strategy, examples):
            @given(case=strategy)
            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def fuzz(case):
                calls[0] += 1
                response = case.call_and_validate(headers=headers, base_url=BASE_URL,
                                                  excluded_checks=[positive_data_acceptance])
                statuses.setdefault(operation.label, Counter())[response.status_code] += 1
                if not negative and response.status_code == 422:
                    refused = _schema_refusal(app, endpoint, case)
                    assert refused is None, f"the server's schema refuses a request the document allows: " \
                                            f"{refused}; body {case.body!r}, query {case.query!r}"
            fuzz()

        endpoint = _endpoint(app, operation)
        # negative mode: the token is part of the strategy, so that schemathesis does not count "header
        # Authorization left out" as a mutation that our explicit header then undoes
        fixed = {"headers": headers} if negative else {}
        try:
            fuzz_with(operation.as_strategy(generation_mode=mode, **fixed),
                      NEGATIVE_EXAMPLES if negative else MAX_EXAMPLES)
        except Unsatisfiable:
            if not negative:
                raise
            statuses.setdefault(operation.label, Counter())["nothing to negate"] += 1  # e.g. GET /me
        except Exception as exc:  # noqa: BLE001  every operation is fuzzed; failures are reported together
            failures.append(f"{operation.label}:\n{str(exc)[:1500]}")
        # random path parameters rarely hit a real object: also call with the world's objects
        names = [p.name for p in operation.iter_parameters() if p.location == "path"]
        endpoint = _endpoint(app, operation)
        values = [world.arg_values(n, world.principals["coordinator"], endpoint) for n in names]
        if negative:
            if names and all(values) and (operation.body or any(p.location == "query"
                                                                for p in operation.iter_parameters())):
                try:
                    fuzz_with(operation.as_strategy(generation_mode=mode, headers=headers, path_parameters={
                        n: v[0] for n, v in zip(names, values)}), NEGATIVE_WORLD_EXAMPLES)
                except Unsatisfiable:
                    pass
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{operation.label} (world objects):\n{str(exc)[:1500]}")
            continue
        if names and all(values):
            for combo in itertools.islice(itertools.product(*values), 10):
                case = schema.make_case(operation=operation, path_parameters=dict(zip(names, combo)))
                try:
                    response = case.call_and_validate(headers=headers, base_url=BASE_URL,
                                                      excluded_checks=[positive_data_acceptance])
                    statuses.setdefault(operation.label, Counter())[response.status_code] += 1
                    calls[0] += 1
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{operation.label} with {dict(zip(names, combo))}:\n{str(exc)[:1500]}")
    report(f"api-fuzz ({mode}): {operations} operations, {calls[0]} generated requests; statuses "
           + "; ".join(f"{k}: {dict(v)}" for k, v in sorted(statuses.items())))
    assert operations >= 3
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
