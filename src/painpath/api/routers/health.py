"""GET /api/v1/health: a trivial endpoint (no auth, no database) — load balancers' liveness check
and the baseline the API benchmark compares real endpoints against."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

PREFIX = "/health"
router = Router(tags=["health"])


@router.get("", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
