"""The hub's front page: when the figures were last worked out, and a way into each part."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linkwell.web.hub.access import hub_page


@hub_page
def hub_home(request: HttpRequest) -> HttpResponse:
    return render(request, "hub/home.html")
