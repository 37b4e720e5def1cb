"""Schema-driven fuzzing of /api/v1 (schemathesis): bad input never gets a 5xx or a traceback,
and every 4xx body is JSON that says what was wrong; a 422 names each field it refuses.

The schema is the app's own /api/v1/openapi.json, loaded in-process through the WSGI
application. Requests carry a prescriber's real API token (the role that may write the most), and
ids in paths are drawn half the time from records that exist, so the handlers behind the 404s
run too. Generation is derandomized with a fixed budget per operation, so a run is repeatable.

Under pytest 9, schemathesis 4.32 gives all 42 operations' items the same node id (pytest now
builds it from ``originalname``), and its lazy ``from_fixture`` loader fails on the removed
``Node._nodeid``; so the schema is loaded at import and each failure message names its operation.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from painpath.apps.medicines.actions import add_product, draft_prescription
from painpath.apps.outcomes.models import AdverseEvent
from painpath.config.wsgi import application
from tests.factories import AlertFactory, AssessmentFactory, PatientFactory, ResponseFactory
from tests.factories.followup import start_plan

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25

# Status codes an operation may answer besides the ones its schema declares (the API's refusals,
# see painpath.api.errors): no token, role rules, unknown id, wrong method, bad input.
REFUSALS = {400, 401, 403, 404, 405, 422}

# 422 keys that name the state of the record a path points at rather than a request field (the
# actions share them with the web pages): "cannot sign a prescription that is draft" is about
# ``status``, "already retired" about the ``product``, and so on. Anything else must be a field.
STATE_KEYS = {"__all__", "status", "plan", "link", "product", "alert"}

_exceptions: list[str] = []


def _record_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    _exceptions.append(traceback.format_exc())


def in_test_transaction(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    """``app`` as a WSGI callable that keeps the test's database connection open.

    Django closes "old" connections when a request starts and finishes; inside a test's
    transaction that would drop the transaction. Django's own test client disconnects those
    handlers around each request, and so does this wrapper. The body is read and the response
    closed before they are connected again.
    """

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(_record_exception)
        try:
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()
        finally:
            got_request_exception.disconnect(_record_exception)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return wrapped


WSGI_APP = in_test_transaction(application)


@pytest.fixture
def fuzz_world(db: Any, settings: Any) -> dict[str, Any]:
    """A prescriber with a token, and one of each record the API's paths name by id."""
    from painpath.apps.accounts.tokens import issue_token
    from tests.factories import UserFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="fuzz-prescriber", role="prescriber", on_specialist_register=True)
    _, token = issue_token(user, name="fuzz")
    patient = PatientFactory(
        given_name="Fuzz", family_name="Target", email="fuzz@example.org", address="1 Demo St"
    )
    product = add_product(
        by=user, name="Fuzz CBD oil 20", form="oil", unit="ml", thc_mg_per_unit="0",
        cbd_mg_per_unit="20", pack_sizes=["30"],
    )  # fmt: skip
    rx = draft_prescription(
        by=user, patient=patient, product=product, dose="0.5 ml twice a day",
        daily_amount="1", quantity="30", quantity_words="thirty",
    )  # fmt: skip
    plan = start_plan(patient)
    event = AdverseEvent.objects.create(
        patient=patient, reported_at=timezone.now(), source="home", symptom="dizziness",
        reported_severity="mild",
    )  # fmt: skip
    ids = {
        "patient_id": patient.pk,
        "assessment_id": AssessmentFactory(patient=patient).pk,
        "response_id": ResponseFactory(patient=patient).pk,
        "alert_id": AlertFactory(patient=patient).pk,
        "product_id": product.pk,
        "rx_id": rx.pk,
        "set_id": plan.sets.order_by("pk").first().pk,
        "event_id": event.pk,
    }
    _known_ids.clear()
    _known_ids.update(ids)
    return {"token": token, "ids": ids}


# Ids of the records the current test made (set by ``fuzz_world``, read while generating).
_known_ids: dict[str, int] = {}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGI_APP)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Half the time, swap an id for one that exists (an id generated at random is almost never
    a record, so without this only the 404 branch of each handler would run)."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.sampled_from([value, _known_ids[name]]) if name in _known_ids else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.fixed_dictionaries(choices)


def _declared(case: Case) -> set[int]:
    responses = case.operation.definition.raw.get("responses", {})
    return {int(code) for code in responses if str(code).isdigit()}


def _parameter_names(case: Case) -> set[str]:
    names = {p["name"] for p in case.operation.definition.raw.get("parameters", [])}
    body = case.operation.definition.raw.get("requestBody")
    if body:
        resolved = case.operation.schema.raw_schema
        for media in body.get("content", {}).values():
            names |= _properties(media.get("schema", {}), resolved)
    return names


def _properties(node: Any, root: dict[str, Any], seen: frozenset[str] = frozenset()) -> set[str]:
    """Every property name in a body schema, nested ones too: the actions name a field of an
    inline object by its own name (``unit`` for ``product.unit``)."""
    if isinstance(node, list):
        return set().union(*(_properties(n, root, seen) for n in node))
    if not isinstance(node, dict):
        return set()
    ref = node.get("$ref")
    if ref:
        if ref in seen:
            return set()
        target: Any = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return _properties(target, root, seen | {ref})
    names = set(node.get("properties", {}))
    for key, child in node.items():
        if key in ("properties", "patternProperties", "$defs", "definitions"):
            children = child.values() if isinstance(child, dict) else []
            names |= set().union(*(_properties(c, root, seen) for c in children))
        elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
            names |= _properties(child, root, seen)
    return names


def _content_type(headers: Any) -> str:
    for name, values in headers.items():
        if name.lower() == "content-type":
            return str(values[0] if isinstance(values, list) else values)
    return ""


def _check_response(case: Case, status: int, content_type: str, body: bytes) -> Iterator[str]:
    text = body.decode("utf-8", "replace")
    if status >= 500:
        yield f"{status} server error"
    if "Traceback (most recent call last)" in text:
        yield "the body holds a traceback"
    allowed = _declared(case) | REFUSALS
    if status not in allowed:
        yield f"status {status} is neither declared ({sorted(_declared(case))}) nor a refusal"
    if 400 <= status < 500:
        # A method the path does not have is django-ninja's plain 405 (with an Allow header);
        # every other answer from the API is JSON, a 404 for a URL that does not resolve too.
        if status == 405 and "json" not in content_type:
            return
        if "json" not in content_type:
            yield f"{status} answered as {content_type!r}, not JSON"
            return
        try:
            data = json.loads(text)
        except ValueError:
            yield f"{status} body is not valid JSON"
            return
        if not isinstance(data, dict):
            yield f"{status} body is not a JSON object"
            return
        if status in (400, 422):
            errors = data.get("errors")
            if not isinstance(errors, dict) or not errors:
                yield f"{status} body has no errors object naming fields: {data!r}"
                return
            known = _parameter_names(case) | {"body"} | STATE_KEYS
            # A control character is refused wherever it is sent, under a key the schema does
            # not have too; the error names that key.
            sent = set(case.body) if isinstance(case.body, dict) else set()
            sent |= set(case.query or {})
            for field, message in errors.items():
                if not isinstance(message, str) or not message.strip():
                    yield f"{status} error for {field!r} has no message"
                if any(field == k or field.startswith(f"{k}.") for k in sent):
                    continue
                if not field or field.split(".")[0] not in known:
                    yield f"{status} names {field!r}, not a field of this operation {sorted(known)}"
        elif not isinstance(data.get("detail"), str) or not data["detail"]:
            yield f"{status} body has no detail: {data!r}"


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_on_bad_input(case: Case, fuzz_world: dict[str, Any]) -> None:
    _exceptions.clear()
    headers = {"Authorization": f"Bearer {fuzz_world['token']}"}
    response = case.call(headers=headers)
    problems = list(
        _check_response(
            case, response.status_code, _content_type(response.headers), response.content
        )
    )
    if _exceptions:
        problems.append("the request raised:\n" + "\n".join(_exceptions))
    assert not problems, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n"
        f"query={case.query!r} body={case.body!r}\n"
        f"response={response.content[:500]!r}\n" + "\n".join(problems)
    )
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        headers=headers,
    )
