"""The v1 JSON API (django-ninja). Handlers translate HTTP to services and back; no rules here."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from . import accounts, administration, catalog, documents, dossiers, forms, reports
from .errors import install


class Utf8Renderer(JSONRenderer):
    """JSON with Vietnamese kept readable (no \\u escapes)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):  # type: ignore[no-untyped-def]
        import json

        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Hệ thống một cửa điện tử — REST API v1 (see docs/api.md).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=Utf8Renderer(),
)
install(api)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", administration.router)
api.add_router("/v1/", catalog.router)
api.add_router("/v1/", dossiers.router)
api.add_router("/v1/", forms.router)
api.add_router("/v1/", documents.router)
api.add_router("/v1/", reports.router)
