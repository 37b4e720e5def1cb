"""The URL x role matrix: every URL painpath serves, requested as every role, with the status
each role must get.

Each area owns its rows in its own module ``tests/integration/web/matrix_<area>.py``, which
defines:

- ``ROWS``: a list of ``Row`` (a URL name, how to build its kwargs from the test ``World``, the
  method, an optional body, and the expected status for each of the 6 roles + anonymous);
- optionally ``BUILDERS``: ``{name: function(world) -> object}`` making the test objects its rows
  need (built lazily, once per row test, on first use);
- optionally ``PUBLIC``: ``{url name: reason}`` for non-API views that need no ``@require``
  (log-in, health, a secure-link questionnaire...).

This module discovers every ``matrix_*.py`` beside it and merges them, so areas never edit one
shared file. ``test_url_matrix.py`` fails naming any URL pattern with no row, and then checks
every row as every role.

Statuses: 200 page, 201 created, 302 redirect (anonymous to log in, or after a write),
401 API without a token, 403 role refused, 404 not found / outside scope, 405 wrong method,
409 conflict, 422 input refused (nothing saved).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROLES: tuple[str, ...] = (
    "prescriber",
    "nurse",
    "admin",
    "researcher",
    "charity",
    "patient",
    "anonymous",
)
STAFF_ROLES = ROLES[:-1]

Builder = Callable[["World"], Any]
KwargsFn = Callable[["World"], dict[str, Any]]


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def expect(default: int | None = None, **statuses: int) -> dict[str, int]:
    """Statuses for every role: ``expect(403, prescriber=200, nurse=200, anonymous=302)``.

    ``default`` fills the roles not named; every role must end up with a status.
    """
    unknown = set(statuses) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    table = {role: statuses.get(role, default) for role in ROLES}
    missing = [role for role, status in table.items() if status is None]
    if missing:
        raise ValueError(f"no status for {missing}")
    return table  # type: ignore[return-value]


def page(ok: int = 200, *roles: str, denied: int = 403, anonymous: int = 302) -> dict[str, int]:
    """A signed-in page: ``roles`` get ``ok``, other roles ``denied``, anonymous goes to log in."""
    return expect(denied, anonymous=anonymous, **dict.fromkeys(roles, ok))


def api(ok: int = 200, *roles: str, denied: int = 403) -> dict[str, int]:
    """An API endpoint: ``roles`` get ``ok``, other roles ``denied``, no token 401."""
    return expect(denied, anonymous=401, **dict.fromkeys(roles, ok))


CLINICAL = ("prescriber", "nurse")
CLINIC_TEAM = ("prescriber", "nurse", "admin")


@dataclass(frozen=True)
class Row:
    """One request of the matrix.

    ``name`` is a URL name (``"patients:detail"``, ``"api-v1:list_patients"``); ``kwargs`` builds
    the URL's keyword arguments from the World; ``data`` builds a form body (or JSON for the API);
    ``query`` builds the query string. ``note`` says what the row shows (for failures).
    """

    name: str
    expected: Mapping[str, int]
    kwargs: KwargsFn = no_kwargs
    method: str = "GET"
    data: Callable[[World], Any] | None = None
    query: Callable[[World], dict[str, Any]] | None = None
    note: str = ""
    #: Parts of the product the row needs that may not have landed yet: "triage".
    needs: tuple[str, ...] = ()
    area: str = field(default="", compare=False)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-v1:")

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' (' + self.note + ')' if self.note else ''}"


class World:
    """The small set of test objects rows build their URLs from, made on first use.

    ``world["patient"]`` runs the builder registered under "patient" once and keeps the result;
    ``world.user("nurse")`` is the user of that role (the ``patient`` role's user is linked to
    ``world["own_patient"]``).
    """

    def __init__(self, builders: Mapping[str, Builder]) -> None:
        self._builders = builders
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            if name not in self._builders:
                raise KeyError(f"no matrix builder for {name!r} (add one to BUILDERS)")
            self._made[name] = self._builders[name](self)
        return self._made[name]

    def user(self, role: str) -> Any:
        return self[f"user:{role}"]


@dataclass
class Matrix:
    rows: list[Row]
    builders: dict[str, Builder]
    public: dict[str, str]
    modules: list[str]


def _core_builders() -> dict[str, Builder]:
    """Users per role and the records every area's rows start from."""
    from tests.factories import PatientFactory, UserFactory

    def user_builder(role: str) -> Builder:
        def make(world: World) -> Any:
            user = UserFactory(username=f"matrix-{role}", role=role, first_name=role.capitalize())
            if role == "prescriber":
                user.on_specialist_register = True
                user.gmc_number = "7000001"
                user.work_address = "Demo Pain Clinic, 2 Clinic Road, Testtown"
                user.save()
            return user

        return make

    def own_patient(world: World) -> Any:
        return PatientFactory(user=world.user("patient"), given_name="Own")

    def token_builder(role: str) -> Builder:
        def make(world: World) -> str:
            from painpath.apps.accounts.tokens import issue_token

            return str(issue_token(world.user(role), name="matrix")[1])

        return make

    builders: dict[str, Builder] = {f"user:{r}": user_builder(r) for r in STAFF_ROLES}
    builders.update({f"token:{r}": token_builder(r) for r in STAFF_ROLES})
    builders["patient"] = lambda world: PatientFactory()
    builders["own_patient"] = own_patient
    return builders


def load() -> Matrix:
    """Every ``matrix_*.py`` module's rows, builders and public views, merged."""
    here = Path(__file__).parent
    rows: list[Row] = []
    builders = _core_builders()
    public: dict[str, str] = {}
    modules = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("matrix_"):
            continue
        module = importlib.import_module(f"tests.integration.web.{info.name}")
        modules.append(info.name)
        area = info.name.removeprefix("matrix_")
        for row in getattr(module, "ROWS", []):
            rows.append(dataclasses.replace(row, area=area))
        for key, builder in getattr(module, "BUILDERS", {}).items():
            if key in builders:
                raise ValueError(f"{info.name}: builder {key!r} is defined twice")
            builders[key] = builder
        public.update(getattr(module, "PUBLIC", {}))
    ids = [row.id for row in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"rows defined twice (add a note to tell them apart): {duplicates}")
    return Matrix(rows, builders, public, modules)


def url_patterns() -> list[tuple[str, str, Any]]:
    """Every URL pattern as (qualified name, route, callback), walking resolvers recursively
    (including the django-ninja /api/v1 patterns)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str, Any]] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                found.append((name or f"<unnamed {prefix}{p.pattern}>", prefix + str(p.pattern), p))

    walk(get_resolver().url_patterns, "", "")
    return found


def missing_needs(row: Row) -> list[str]:
    """The ``needs`` of a row that are not installed (a real reason to skip it)."""
    missing = []
    if "triage" in row.needs:
        try:
            from painpath.clinical import triage

            triage.assess  # noqa: B018
            triage.FINDINGS  # noqa: B018
        except (ImportError, AttributeError):
            missing.append("painpath.clinical.triage (assess, FINDINGS) has not landed")
    return missing
