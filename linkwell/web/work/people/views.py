"""Registering a person (with the duplicate check) and their page: details as far as the
reader may see them, consents, contacts and referrals. Every showing is audited."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from linkwell.core.languages import language_label
from linkwell.places.queries import gp_practice_label
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as page_queries
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import PossibleDuplicate, Refused
from linkwell.referrals.models import Consent, ConsentPurpose, Person
from linkwell.web.work.common import audit_people, found, put_back, require
from linkwell.web.work.people.forms import ConsentForm, PersonForm
from linkwell.web.work.refer.views import refer_page

DETAIL_FIELDS = [f for f in PersonForm.base_fields if f != "confirm_new"]
# What to do when the action refuses what the form could not check itself.
REFUSALS = {
    "postcode": _lazy("Check the postcode, or leave it empty: it is not one we know"),
    "gp_practice_code": _lazy("Select a GP practice from the list, or leave it empty"),
}


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    require(policies.may_record_people(request.user))
    back = refer_page(request.POST.get("next") or request.GET.get("next", ""))
    context: dict = {"duplicates": [], "problem": "", "next": back}
    if request.method != "POST":
        form = PersonForm()
        return render(request, "work/people/person_new.html", {**context, "form": form})
    form = PersonForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        details = actions.PersonDetails(**{name: data[name] for name in DETAIL_FIELDS})
        try:
            person = actions.register_person(
                details,
                actor=request.user,
                via="page:person_new",
                confirm_new=data["confirm_new"],
            )
        except PossibleDuplicate as same:
            context["duplicates"] = _duplicates(request, same.candidates)
            context["known_elsewhere"] = same.known_elsewhere
            context["problem"] = _(
                "Someone with the same NHS number, or the same name and date of birth, may "
                "already be recorded. Open them if they are this person; otherwise tick the "
                "box below and register again."
            )
        except Refused as refused:
            if refused.field in REFUSALS:
                refused = Refused(str(REFUSALS[refused.field]), field=refused.field)
            put_back(form, refused)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            if back:  # registered on the way to refer them: back to that page, with them
                return redirect(f"{back}{'&' if '?' in back else '?'}person={person.pk}")
            return redirect("referrals:person_detail", person_id=person.pk)
    context["show_confirm"] = (
        bool(context["duplicates"])
        or context.get("known_elsewhere", False)
        or bool(request.POST.get("confirm_new"))
    )
    return render(request, "work/people/person_new.html", {**context, "form": form}, status=400)


def _duplicates(request: HttpRequest, candidates: list[Person]) -> list[Person]:
    """The candidates the user may open (the action names no others), shown, linked and
    audited as viewed."""
    audit_people(request, candidates, "person_new")
    return candidates


def _person_page(
    request: HttpRequest, person: Person, *, consent_form: ConsentForm | None = None, status=200
) -> HttpResponse:
    user = request.user
    actions.record_person_viewed(person, actor=user, via="page:person_detail")
    may_record = policies.may_record_people(user)
    if may_record and consent_form is None:
        consent_form = ConsentForm(services=page_queries.consent_service_choices(user, person))
    fields = page_queries.person_fields(user, person)
    # The practice is part of the whole record: for whoever recorded them, and admins.
    whole_record = fields >= policies.EVERY_PERSON_FIELD
    return render(
        request,
        "work/people/person_detail.html",
        {
            "person": person,
            "fields": fields,
            "language": language_label(person.preferred_language)
            if person.preferred_language
            else "",
            "shows_gp_practice": whole_record,
            "gp_practice": gp_practice_label(person.gp_practice)
            if whole_record and person.gp_practice_id
            else "",
            "consents": page_queries.consents_of(user, person),
            "contacts": page_queries.encounters_of(user, person),
            "referrals": page_queries.person_referrals(user, person),
            "may_record": may_record,
            "consent_form": consent_form,
            "form": consent_form,
        },
        status=status,
    )


@login_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = found(rq.get_person(request.user, person_id))
    return _person_page(request, person)


@login_required
@require_POST
def consent_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = found(rq.get_person(request.user, person_id))
    require(policies.may_record_people(request.user))
    choices = page_queries.consent_service_choices(request.user, person)
    form = ConsentForm(request.POST, services=choices)
    if not form.is_valid():
        return _person_page(request, person, consent_form=form, status=400)
    purpose = form.cleaned_data["purpose"]
    service = None
    if purpose == ConsentPurpose.SHARE_WITH_SERVICE:
        service = found(page_queries.get_referable_service(uuid.UUID(form.cleaned_data["service"])))
    try:
        consent = actions.record_consent(
            person,
            purpose,
            actor=request.user,
            via="page:person_detail",
            service=service,
            how=form.cleaned_data["how"],
        )
    except Refused as refused:
        put_back(form, refused)
        return _person_page(request, person, consent_form=form, status=400)
    messages.success(
        request, _("Consent recorded: %(purpose)s.") % {"purpose": _consent_label(consent)}
    )
    return redirect("referrals:person_detail", person_id=person.pk)


@login_required
@require_POST
def consent_withdraw(
    request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID
) -> HttpResponse:
    person = found(rq.get_person(request.user, person_id))
    require(policies.may_record_people(request.user))
    consent = found(Consent.objects.filter(pk=consent_id, person=person).first())
    actions.withdraw_consent(consent, actor=request.user, via="page:person_detail")
    messages.success(
        request, _("Consent withdrawn: %(purpose)s.") % {"purpose": _consent_label(consent)}
    )
    return redirect("referrals:person_detail", person_id=person.pk)


def _consent_label(consent: Consent) -> str:
    label = consent.get_purpose_display()
    if consent.service is not None:
        label = f"{label} ({consent.service.name})"
    return label
