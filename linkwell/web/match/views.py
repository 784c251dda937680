"""What could help (a GP or practitioner, signed in) and Tell us what you need (anyone): words
in, the needs read from them to confirm, then services for each need with their reasons.

Two steps, no JavaScript: the words are posted (never put in an address, so never in a log),
the page shows the needs read, ticked, with the words that signalled them, and the matches;
changing the ticks and sending again matches those needs. The words are not saved anywhere
and nothing is audited: no person's record is read.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from linkwell.directory import vocabularies as vocab
from linkwell.matching import throttle
from linkwell.matching.queries import match, read_needs
from linkwell.matching.requests import MatchRefused, MatchRequest
from linkwell.matching.results import MatchResult
from linkwell.referrals import policies
from linkwell.web.match.forms import FIELDS, MatchForm
from linkwell.web.staff_home.landing import may_use_staff_home
from linkwell.web.work.common import need_name, require


@login_required
@sensitive_post_parameters("text")
def what_could_help(request: HttpRequest) -> HttpResponse:
    require(may_use_staff_home(request.user))
    context, status = _matched(request, with_age=True)
    context["may_refer"] = policies.may_refer(request.user)
    return render(request, "match/what_could_help.html", context, status=status)


@sensitive_post_parameters("text")
def tell_us(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (wait := throttle.take(request)):
        form = MatchForm(request.POST, with_age=False)
        form.is_valid()
        context = {
            "form": form,
            "refusal": _("Too many searches from here: try again in %(n)s seconds.") % {"n": wait},
        }
        response = render(request, "match/tell_us.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    context, status = _matched(request, with_age=False)
    return render(request, "match/tell_us.html", context, status=status)


def _matched(request: HttpRequest, *, with_age: bool) -> tuple[dict[str, Any], int]:
    """The form, and after a post the needs read (to confirm) and the matches grouped by need."""
    if request.method != "POST":
        return {"form": MatchForm(with_age=with_age)}, 200
    form = MatchForm(request.POST, with_age=with_age)
    if not form.is_valid():
        return {"form": form}, 400
    data = form.cleaned_data
    # The public page reads the words in the page's language and ranks up services speaking
    # it; staff write notes in English.
    language = "" if with_age else (get_language() or "").split("-")[0]
    reading = read_needs(data["text"], language=language)
    read = reading.sure
    spoken = "" if language == "en" else language
    # First sending: the needs read from the words, and those they only hint at offered the
    # places left over. After that: the needs ticked, and only those.
    needs = data["needs"] if data["confirmed"] else [n.code for n in read]
    needs = list(dict.fromkeys([*needs, *([] if data["confirmed"] else data["needs"])]))
    hints = reading.possible(besides=needs)
    offered = () if data["confirmed"] else tuple(n.code for n in hints)
    if not needs and not offered:
        context = {"form": _confirmable(form, data, needs), "read": read, "searched": True}
        context["needs"] = _need_rows(read, hints, needs)
        return context, 200
    try:
        result = match(
            MatchRequest(
                needs=tuple(needs),
                possible=offered,
                place=data["place"],
                age=data.get("age"),
                language=spoken,
            )
        )
    except MatchRefused as refused:
        form.refuse(FIELDS.get(refused.field, "text"), refused.message)
        return {"form": form}, 400
    return {
        "form": _confirmable(form, data, needs),
        "read": read,
        "needs": _need_rows(read, hints, needs),
        "groups": _groups(result, hinted=offered),
        "place": result.place,
        "searched": True,
    }, 200


def _confirmable(form: MatchForm, data: dict[str, Any], needs: list[str]) -> MatchForm:
    """The form again, as sent, with the needs used ticked and marked as confirmed."""
    initial = {**data, "needs": needs, "confirmed": True}
    again = MatchForm(initial=initial, with_age="age" in form.fields)
    return again


def _need_rows(read: list[Any], hints: list[Any], ticked: list[str]) -> list[dict[str, Any]]:
    """Every need as a checkbox: those read first, with the words that signalled them, then
    those only hinted at (not ticked), then the rest."""
    evidence = {n.code: n.evidence for n in [*read, *hints]}
    hinted = {n.code for n in hints}
    order = [n.code for n in [*read, *hints]]
    order += [t.code for t in vocab.NEEDS.terms if t.code not in evidence]
    return [
        {
            "code": code,
            "name": need_name(code),
            "evidence": evidence.get(code, ()),
            "ticked": code in ticked,
            "read": code in evidence,
            "possible": code in hinted and code not in ticked,
        }
        for code in order
    ]


def _groups(result: MatchResult, *, hinted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The results under each need; a need only hinted at shows only if it got a place."""
    return [
        {
            "code": code,
            "name": need_name(code),
            "possible": code in hinted,
            "matches": [
                {
                    "match": m,
                    "refer_url": reverse("referrals:refer_to_service", args=[m.service_id])
                    + "?"
                    + urlencode({"need": code}),
                }
                for m in found
            ],
        }
        for code, found in result.by_need()
        if found or code not in hinted
    ]
