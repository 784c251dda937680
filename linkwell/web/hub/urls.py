"""The hub's addresses (namespace `hub`): each part adds its own list here."""

from django.urls import path

from linkwell.web.hub import overview
from linkwell.web.hub.areas import urls as area_urls
from linkwell.web.hub.duplicates import urls as duplicate_urls
from linkwell.web.hub.flows import urls as flow_urls
from linkwell.web.hub.indicators import urls as indicator_urls
from linkwell.web.hub.spend import urls as spend_urls

app_name = "hub"

urlpatterns = [
    path("hub/", overview.hub_home, name="home"),
    *area_urls.urlpatterns,
    *spend_urls.urlpatterns,
    *duplicate_urls.urlpatterns,
    *flow_urls.urlpatterns,
    *indicator_urls.urlpatterns,
]
