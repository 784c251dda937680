from django.urls import include, path

from config.api import api
from linkwell.accounts.admin_site import site as admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("linkwell.referrals.urls")),
    path("", include("linkwell.directory.provider_urls")),
    path("", include("linkwell.directory.urls")),
]
