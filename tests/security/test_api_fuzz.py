"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json and calls the app
in-process (WSGI) with a Bearer token: no server error, and every response matches the schema
(documented status code, content type, body schema, headers; schemathesis' default checks).

Every operation of the document is fuzzed, so a domain's new API is covered the day it is added.
(The operations are iterated by hand: schemathesis' lazy pytest fixture loader does not work with
pytest 9, and the schema must come from the test app, whose database holds the token.)
"""

import itertools
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.dbutil import db_kind
from tests.security.conftest import report

#: examples per operation: the full run on the production database (PostgreSQL: integer ranges, strictness of
#: types and encodings), a shorter one on SQLite, which still calls every operation (`make test` runs both passes)
MAX_EXAMPLES = 25 if db_kind() == "postgresql" else 8
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


def test_api_conforms_to_its_schema(app, world):
    """As the coordinator (who may call every operation), with the world's objects in the database."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {world.principals['coordinator'].token}"}
    failures, operations, calls, statuses = [], 0, [0], {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            calls[0] += 1
            response = case.call_and_validate(headers=headers, base_url=BASE_URL)
            statuses.setdefault(operation.label, Counter())[response.status_code] += 1

        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001  every operation is fuzzed; failures are reported together
            failures.append(f"{operation.label}:\n{str(exc)[:1500]}")
        # random path parameters rarely hit a real object: also call with the world's objects
        names = [p.name for p in operation.iter_parameters() if p.location == "path"]
        endpoint = _endpoint(app, operation)
        values = [world.arg_values(n, world.principals["coordinator"], endpoint) for n in names]
        if names and all(values):
            for combo in itertools.islice(itertools.product(*values), 10):
                case = schema.make_case(operation=operation, path_parameters=dict(zip(names, combo)))
                try:
                    response = case.call_and_validate(headers=headers, base_url=BASE_URL)
                    statuses.setdefault(operation.label, Counter())[response.status_code] += 1
                    calls[0] += 1
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{operation.label} with {dict(zip(names, combo))}:\n{str(exc)[:1500]}")
    report(f"api-fuzz: {operations} operations, {calls[0]} generated requests; statuses "
           + "; ".join(f"{k}: {dict(v)}" for k, v in sorted(statuses.items())))
    assert operations >= 3
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
