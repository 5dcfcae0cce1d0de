"""Root URLconf. Every pattern must be named and have an entry in the permission walk
(tests/web/access/<app>.py); see docs/web.md."""

from django.urls import include, path

from healthgap.web.api import api

urlpatterns = [
    path("", include("healthgap.web.core.urls")),
    path("accounts/", include("healthgap.web.accounts.urls")),
    path("account/", include("healthgap.web.tokens.urls")),
    path("audit/", include("healthgap.web.audit.urls")),
    path("directory/", include("healthgap.web.directory.urls")),
    path("oruk/", include("healthgap.web.oruk.urls")),
    path("action/", include("healthgap.web.action.urls")),
    path("library/", include("healthgap.web.library.urls")),
    path("need/", include("healthgap.web.need.urls")),
    path("equality/", include("healthgap.web.equality.urls")),
    path("api/", api.urls),
]
