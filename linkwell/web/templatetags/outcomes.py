"""The outcomes parts other pages show: the case page's questionnaires (with the form that
sends a link), and whether the reader may see or record a person's outcomes."""

from __future__ import annotations

from typing import Any

from django import template

from linkwell.outcomes import instruments, policies
from linkwell.outcomes.models import Administration

register = template.Library()


@register.inclusion_tag("outcomes/_case_section.html", takes_context=True)
def case_questionnaires(context: dict[str, Any], case: Any) -> dict[str, Any]:
    from linkwell.web.outcomes.forms import SendLinkForm, wording
    from linkwell.web.outcomes.views import suggested_timepoint

    user = context["request"].user
    if not policies.may_record_for_case(user, case):
        return {"show": False}
    asked = []
    for administration in Administration.objects.filter(case=case).order_by("started_at"):
        instrument = instruments.get(administration.instrument)
        name = wording(instrument.name) if instrument else administration.instrument
        asked.append({"administration": administration, "name": name})
    form = SendLinkForm(auto_id="id_link_%s", initial={"timepoint": suggested_timepoint(case)})
    return {
        "show": True,
        "case": case,
        "person": case.person,
        "asked": asked,
        "form": form,
        "open": context.get("open", True),
        "csrf_token": context.get("csrf_token"),
        "may_view": policies.may_view_outcomes(user, case.person),
    }


@register.simple_tag(takes_context=True)
def may_view_outcomes(context: dict[str, Any], person: Any) -> bool:
    return policies.may_view_outcomes(context["request"].user, person)


@register.simple_tag(takes_context=True)
def may_record_outcome(context: dict[str, Any], referral: Any) -> bool:
    return policies.may_record_for_referral(context["request"].user, referral)
