"""The hub's front page: when the figures were last worked out, a way into each part, and
"refresh now" (queued for the worker: the page never waits for the refresh)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from linkwell.intelligence.jobs import refresh_state, request_refresh
from linkwell.web.hub.access import hub_page


@hub_page
def hub_home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        queued = request_refresh(actor=request.user)
        return redirect(reverse("hub:home") + ("?refresh=queued" if queued else "?refresh=busy"))
    context = {
        "refresh": refresh_state(),
        "asked": request.GET.get("refresh", ""),
    }
    return render(request, "hub/home.html", context)
