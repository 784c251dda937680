"""Questionnaires asked by staff: a connector on a case (baseline at the first session,
follow-up at the last), a service when it completes a referral; answers kept as a draft
until finished; a link sent for the person to answer at home; a referral's coded outcome."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linkwell.outcomes import actions, instruments, policies
from linkwell.outcomes.instruments import AnswersRefused
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    Mode,
    ReferralOutcome,
    Timepoint,
)
from linkwell.referrals import actions as ra
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Case, Referral, ReferralStatus
from linkwell.web.outcomes.forms import (
    AnswersForm,
    ReferralOutcomeForm,
    SendLinkForm,
    StartForm,
    wording,
)
from linkwell.web.work.common import found, put_back, refusal_text, require

VIA = "page:outcomes"
# The action's names for the outcome's fields -> this page's.
OUTCOME_FIELDS = {"outcome_code": "code", "outcome_reasons": "reasons"}
ENDED = frozenset({ReferralStatus.COMPLETED, ReferralStatus.DID_NOT_ENGAGE})


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    """The case if the reader may record on it: 404 if not theirs to see, 403 if they see it
    but may not record (no hint either way of what it holds)."""
    case = found(rq.get_case(request.user, case_id))
    require(policies.may_record_for_case(request.user, case))
    return case


def _referral(request: HttpRequest, referral_id: uuid.UUID) -> Referral:
    referral = found(rq.get_referral(request.user, referral_id))
    require(policies.may_record_for_referral(request.user, referral))
    return referral


def _may_record(user: Any, administration: Administration) -> bool:
    if administration.case_id is not None:
        return policies.may_record_for_case(user, administration.case)
    if administration.referral_id is not None:
        return policies.may_record_for_referral(user, administration.referral)
    return False


def _where(administration: Administration) -> str:
    """The page the administration was started from."""
    if administration.case_id is not None:
        return reverse("referrals:case_detail", args=[administration.case_id])
    return reverse("outcomes:referral_outcome", args=[administration.referral_id])


def person_language(person: Any, key: str) -> str:
    """The person's language if the questionnaire has it, else English."""
    instrument = instruments.get(key)
    language = (getattr(person, "preferred_language", "") or "en").lower().split("-")[0]
    return language if instrument and language in instrument.languages else "en"


def suggested_timepoint(case: Case | None = None, referral: Referral | None = None) -> str:
    """Baseline until one is complete here; the follow-up after."""
    done = Administration.objects.filter(status=AdministrationStatus.COMPLETE)
    done = done.filter(case=case) if case is not None else done.filter(referral=referral)
    has_baseline = done.filter(timepoint=Timepoint.BASELINE).exists()
    return Timepoint.FOLLOW_UP if has_baseline else Timepoint.BASELINE


def _start_page(
    request: HttpRequest, *, case: Case | None, referral: Referral | None, back: str
) -> HttpResponse:
    person = case.person if case is not None else referral.person  # type: ignore[union-attr]
    ra.record_person_viewed(person, actor=request.user, via=VIA)  # the page names them
    if request.method == "POST":
        form = StartForm(request.POST, auto_id="id_start_%s")
        if form.is_valid():
            key = form.cleaned_data["instrument"]
            try:
                administration = actions.start_administration(
                    person,
                    key,
                    timepoint=form.cleaned_data["timepoint"],
                    mode=Mode.CONNECTOR if case is not None else Mode.PROVIDER,
                    actor=request.user,
                    via=VIA,
                    case=case,
                    referral=referral,
                    language=person_language(person, key),
                )
            except Refused as refused:
                put_back(form, refused)
            else:
                return redirect("outcomes:administration", administration_id=administration.pk)
    else:
        form = StartForm(
            auto_id="id_start_%s",
            initial={"timepoint": suggested_timepoint(case, referral)},
        )
    return render(
        request,
        "outcomes/start.html",
        {"form": form, "person": person, "back": back, "case": case, "referral": referral},
        status=400 if form.is_bound else 200,
    )


@login_required
def start_for_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    back = reverse("referrals:case_detail", args=[case.pk])
    return _start_page(request, case=case, referral=None, back=back)


@login_required
def start_for_referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = _referral(request, referral_id)
    back = reverse("outcomes:referral_outcome", args=[referral.pk])
    return _start_page(request, case=None, referral=referral, back=back)


def answers_page(
    request: HttpRequest,
    template: str,
    administration: Administration,
    form: AnswersForm,
    *,
    problem: str = "",
    **context: Any,
) -> HttpResponse:
    instrument = form.instrument
    return render(
        request,
        template,
        {
            "administration": administration,
            "instrument": instrument,
            "name": wording(instrument.name),
            "preamble": wording(instrument.preamble),
            "form": form,
            "questions": form.questions(),
            "errors": form.error_list() if form.is_bound else [],
            "problem": problem,
            **context,
        },
        status=400 if problem or (form.is_bound and form.errors) else 200,
    )


@login_required
def administration_page(request: HttpRequest, administration_id: uuid.UUID) -> HttpResponse:
    """Answer with the person: save as a draft, or finish (scored when every item needed is
    answered; otherwise each item missing or wrong says so)."""
    administration = found(
        Administration.objects.select_related("person", "case", "referral")
        .filter(pk=administration_id)
        .first()
    )
    found(administration if _may_record(request.user, administration) else None)
    instrument = found(instruments.get(administration.instrument))
    ra.record_person_viewed(administration.person, actor=request.user, via=VIA)
    back = _where(administration)
    context = {"back": back, "person": administration.person}
    if administration.status == AdministrationStatus.COMPLETE:
        return render(
            request,
            "outcomes/administration_done.html",
            {**context, "administration": administration, "name": wording(instrument.name)},
        )
    language = None  # staff read the questions in their own language
    if request.method != "POST":
        form = AnswersForm(
            instrument=instrument,
            language=language,
            initial={f"item_{k}": v for k, v in (administration.answers or {}).items()},
        )
        return answers_page(
            request, "outcomes/administration.html", administration, form, **context
        )
    form = AnswersForm(request.POST, instrument=instrument, language=language)
    if not form.is_valid():
        return answers_page(
            request, "outcomes/administration.html", administration, form, **context
        )
    finish = "finish" in request.POST
    try:
        actions.save_answers(
            administration, form.answers(), actor=request.user, via=VIA, complete=finish
        )
    except AnswersRefused as refused:
        form.refuse(refused.problems)
        return answers_page(
            request, "outcomes/administration.html", administration, form, **context
        )
    except Refused as refused:  # the action's own refusal (a finished one, say)
        return answers_page(
            request,
            "outcomes/administration.html",
            administration,
            form,
            problem=refusal_text(refused),
            **context,
        )
    if finish:
        messages.success(
            request, _("%(name)s is complete and scored.") % {"name": wording(instrument.name)}
        )
        return redirect(back)
    messages.success(request, _("Answers saved. You can finish them later from this page."))
    return redirect("outcomes:administration", administration_id=administration.pk)


@login_required
def send_link(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """A link for the person to answer at home, by e-mail or text: shown on the case page;
    this page shows the form again when something needs fixing."""
    case = _case(request, case_id)
    back = reverse("referrals:case_detail", args=[case.pk])
    problem = ""
    if request.method == "POST":
        form = SendLinkForm(request.POST, auto_id="id_link_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                administration = actions.start_administration(
                    case.person,
                    data["instrument"],
                    timepoint=data["timepoint"],
                    mode=Mode.SELF,
                    actor=request.user,
                    via=VIA,
                    case=case,
                    language=person_language(case.person, data["instrument"]),
                )
                actions.send_self_completion_link(
                    administration, channel=data["channel"], actor=request.user, via=VIA
                )
            except Refused as refused:
                problem = put_back(form, refused)
                if refused.field in form.fields:
                    problem = ""
            else:
                sent = (
                    _("The link is sent by e-mail.")
                    if data["channel"] == "email"
                    else _("The link is sent by text message.")
                )
                messages.success(request, sent)
                return redirect(f"{back}#outcomes")
    else:
        form = SendLinkForm(
            auto_id="id_link_%s", initial={"timepoint": suggested_timepoint(case=case)}
        )
    return render(
        request,
        "outcomes/send_link.html",
        {"form": form, "case": case, "person": case.person, "back": back, "problem": problem},
        status=400 if form.is_bound else 200,
    )


@login_required
def referral_outcome(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The service's coded outcome of a referral (achieved, partly, not achieved, did not
    engage, with reasons), and the questionnaires it asked."""
    referral = _referral(request, referral_id)
    back = reverse("referrals:referral_detail", args=[referral.pk])
    recorded = ReferralOutcome.objects.filter(referral=referral).first()
    problem = ""
    if request.method == "POST":
        form = ReferralOutcomeForm(request.POST, auto_id="id_outcome_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_referral_outcome(
                    referral,
                    code=data["code"],
                    reasons=data["reasons"],
                    note=data["note"],
                    actor=request.user,
                    via=VIA,
                )
            except Refused as refused:
                field = OUTCOME_FIELDS.get(refused.field, refused.field)
                problem = put_back(form, Refused(refused.message, field=field))
                if field in form.fields:
                    problem = ""
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect(back)
    else:
        initial = (
            {"code": recorded.code, "reasons": recorded.reasons, "note": recorded.note}
            if recorded
            else {}
        )
        form = ReferralOutcomeForm(auto_id="id_outcome_%s", initial=initial)
    asked = [
        {
            "administration": a,
            "name": wording(i.name) if (i := instruments.get(a.instrument)) else a.instrument,
        }
        for a in Administration.objects.filter(referral=referral).order_by("started_at")
    ]
    return render(
        request,
        "outcomes/referral_outcome.html",
        {
            "form": form,
            "referral": referral,
            "person": referral.person,
            "recorded": recorded,
            "ended": referral.status in ENDED,
            "asked": asked,
            "back": back,
            "problem": problem,
        },
        status=400 if form.is_bound else 200,
    )
