"""The REST API under /api/ (django-ninja; OpenAPI at /api/openapi.json, docs at /api/docs).

Each app adds its endpoints as a `ninja.Router` in its own `api.py` and registers it here with
`api.add_router("/<prefix>/", router, ...)`. Authentication (`healthgap.web.tokens.auth`): every
endpoint accepts a personal API token (`Authorization: Bearer <token>`) or the browser session
(with CSRF on writes); public endpoints use `PUBLIC_AUTH` (the default here), which also lets
anonymous callers in, and the others `SIGNED_IN_AUTH`. Lists are paginated with ninja's
`PageNumberPagination` (`?page=`, `?page_size=` up to 100; `{"items": [...], "count": n}`).
See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

import healthgap
from healthgap.web.accounts.authorization import role_of
from healthgap.web.core.api import install_error_handlers
from healthgap.web.tokens.auth import PUBLIC_AUTH, SIGNED_IN_AUTH, Anonymous


class _Schema(OpenAPISchema):
    """Ninja's schema, plus the empty security requirement `{}` on public operations, which
    says in OpenAPI that credentials are optional there."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security is not None and any(isinstance(a, Anonymous) for a in operation.auth_callbacks):
            security.append({})
        return security


class HealthgapAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Schema(self, path_prefix)


api = HealthgapAPI(
    title="healthgap API",
    version="1",
    description=(
        "Directory, action and need data of the healthgap partnership platform. Send a "
        "personal API token (create one on your account page) as `Authorization: Bearer "
        "<token>`, or use the signed-in browser session with the `X-CSRFToken` header on "
        "writes. Lists are paginated with `page` and `page_size` (at most 100). Figures "
        "based on 1 to 7 people are `*` (or null with `suppressed: true`) unless you are an "
        "analyst."
    ),
    urls_namespace="api",
    auth=PUBLIC_AUTH,
)
install_error_handlers(api)

core = Router(tags=["core"])


class Status(Schema):
    status: str
    version: str


class Me(Schema):
    username: str
    role: str
    permissions: list[str]
    organisation_id: int | None
    organisation: str | None
    token: str | None


@core.get("/status", response=Status, url_name="status")
def status(request: HttpRequest) -> dict[str, str]:
    """Liveness check: always "ok" and the healthgap version."""
    return {"status": "ok", "version": healthgap.__version__}


@core.get("/me", response=Me, url_name="me", auth=SIGNED_IN_AUTH)
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the credentials belong to: username, role, permissions, organisation, and the
    name of the API token used (null for a session)."""
    user = request.user
    role = role_of(user)
    token = getattr(request, "api_token", None)
    return {
        "username": user.get_username(),
        "role": role.key,
        "permissions": sorted(role.permissions),
        "organisation_id": user.organisation_id,
        "organisation": user.organisation.name if user.organisation_id else None,
        "token": token.name if token is not None else None,
    }


api.add_router("/", core)
api.add_router("/action/", "healthgap.web.action.api.router")
api.add_router("/directory/", "healthgap.web.directory.api.router")
api.add_router("/library/", "healthgap.web.library.api.router")
api.add_router("/need/", "healthgap.web.need.api.router")
