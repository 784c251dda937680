from django.urls import include, path

from config.api import api
from linkwell.accounts.admin_site import site as admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    # The sign-in pages (password, code, set-up) first: they replace Django's login view.
    path("accounts/", include("linkwell.web.signin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # /healthz, /readyz and /metrics, for probes and scrapers (docs/adr/0036).
    path("", include("linkwell.operations.urls")),
    path("", include("linkwell.web.urls")),
]

# JSON under /api/, the site's pages elsewhere (linkwell/core/errors.py).
handler400 = "linkwell.core.errors.bad_request"
handler403 = "linkwell.core.errors.permission_denied"
handler404 = "linkwell.core.errors.page_not_found"
handler500 = "linkwell.core.errors.server_error"
