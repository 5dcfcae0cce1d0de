"""The REST API under /api/ (django-ninja; OpenAPI at /api/openapi.json, docs at /api/docs).

Each app adds its endpoints as a `ninja.Router` in its own `api.py` and registers it here with
`api.add_router("/<prefix>/", router)`.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

import healthgap

api = NinjaAPI(
    title="healthgap API",
    version="1",
    description="Directory, action and need data of the healthgap partnership platform.",
    urls_namespace="api",
)

core = Router(tags=["core"])


class Status(Schema):
    status: str
    version: str


@core.get("/status", response=Status, url_name="status")
def status(request: HttpRequest) -> dict[str, str]:
    """Liveness check: always "ok" and the healthgap version."""
    return {"status": "ok", "version": healthgap.__version__}


api.add_router("/", core)
api.add_router("/action/", "healthgap.web.action.api.router")
api.add_router("/directory/", "healthgap.web.directory.api.router")
api.add_router("/library/", "healthgap.web.library.api.router")
api.add_router("/need/", "healthgap.web.need.api.router")
