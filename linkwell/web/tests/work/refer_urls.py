"""The URLConf with a stand-in for the page that refers a person to a chosen service
(`referrals:refer_to_service`, built elsewhere), so the referral page's alternatives can be
tested for their links before that page exists. Once it does, this only adds a duplicate."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config import urls as root
from linkwell.web import urls as web


def refer_to_service(request: HttpRequest, service_id: object) -> HttpResponse:
    return HttpResponse("refer", content_type="text/plain")


STAND_IN = [
    path("services/<uuid:service_id>/refer/", refer_to_service, name="refer_to_service"),
]

urlpatterns = [p for p in root.urlpatterns if getattr(p, "urlconf_name", None) is not web] + [
    path("", include("linkwell.web.outcomes.urls")),
    path("", include((web.work + STAND_IN, "referrals"))),
    path("", include((web.listing_urls, "listings"))),
    path("", include(web.find_support)),
]
