"""Self-referral (public) and the provider's inbox (signed in): thin views over policies,
actions and queries."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from linkwell.directory.models import Service
from linkwell.directory.presentation import PUBLIC_STATUSES
from linkwell.directory.queries import get_service
from linkwell.referrals import actions, policies, protection, queries
from linkwell.referrals.errors import PossibleDuplicate, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import ContactRequest, ContactRequestStatus, Person
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.web.contact_requests.forms import ContactRequestForm, ConvertForm, StatusUpdateForm
from linkwell.web.forms import errors_in_order

PER_PAGE = 20
SENT_SESSION_KEY = "referrals_sent"
PHONE_DEMO_FIELDS = {"phones", "contacts"}


def _refusal_message(reason: str) -> str:
    """Why a submission was not sent, politely, and that nothing typed was lost."""
    kept = _("Your details are still here.")
    reasons = {
        "honeypot": _(
            "We could not send your request because a box meant to catch automated messages "
            "was filled in. Check your details and press “Send request” again."
        ),
        "too_fast": _(
            "This form was sent faster than a person usually fills it in, so we stopped it in "
            "case it was automated. Check your details and press “Send request” again."
        ),
        "expired": _(
            "This page was open for more than a day, so we did not send it. Check your details "
            "and press “Send request” again."
        ),
        "invalid": _(
            "We could not confirm that this form came from this page. Press “Send request” again."
        ),
        "replayed": _(
            "This form was already used to send a request. Check your details and press "
            "“Send request” again to send a new one."
        ),
        "rate_limited": _(
            "Several requests have already been sent from here in the last hour. To protect "
            "services from misuse, please wait an hour and try again, or phone the service."
        ),
    }
    return f"{reasons[reason]} {kept}"


def _public_service(service_id: uuid.UUID) -> Service:
    service = get_service(service_id)
    if service is None:
        raise Http404(_("No service has this address."))
    if service.status not in PUBLIC_STATUSES:
        raise Http404(_("This service is not taking requests: it has closed."))
    return service


def _listing_keepers(service: Service) -> str:
    """Who looks after the listing on Linkwell: its partner (or department), else the runner."""
    names = [o.name for o in (service.partner, service.department) if o is not None]
    if not names and service.organization.partner_id:
        names = [service.organization.partner.name]
    return get_text_list(names or [service.organization.name], _("and"))


def _contact_context(service: Service) -> dict:
    return {
        "service": service,
        "organisation_name": service.organization.name,
        "listing_keepers": _listing_keepers(service),
        "has_provider_readers": policies.provider_readers_of(service).exists(),
        "retention_days": actions.retention_days(),
        "honeypot_field": protection.HONEYPOT_FIELD,
        "token_field": protection.TOKEN_FIELD,
    }


def self_referral(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _public_service(service_id)
    organisation_name = service.organization.name
    context = _contact_context(service)
    if request.method != "POST":
        if not request.session.session_key:
            request.session["referrals_form_seen"] = True  # a session, for its rate limit
        form = ContactRequestForm(organisation_name=organisation_name)
        context.update(form=form, token=protection.issue_token(service.pk), refusal="")
        return render(request, "contact_requests/contact_form.html", context)

    form = ContactRequestForm(request.POST, organisation_name=organisation_name)
    refusal, nonce = protection.screen_submission(request, service.pk)
    if form.is_valid() and not refusal:
        try:
            submission = actions.submit_contact_request(
                actor=request.user,
                service=service,
                details=form.cleaned_data,
                language=translation.get_language() or "",
                consent_text=form.fields["consent"].label,
                form_nonce=nonce,
                via=request.path,
            )
        except actions.ReplayedForm:
            refusal = "replayed"
        else:
            if submission.created:
                protection.count_submission(request)
            request.session[SENT_SESSION_KEY] = {
                "service": str(service.pk),
                "reference": submission.contact_request.reference,
            }
            return redirect("referrals:self_referral_sent", service_id=service.pk)
    status = 429 if refusal == "rate_limited" else 400
    context.update(
        form=form,
        token=protection.issue_token(service.pk),
        refusal=_refusal_message(refusal) if refusal else "",
    )
    return render(request, "contact_requests/contact_form.html", context, status=status)


def self_referral_sent(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """What happens next. Shows the reference, never the person's details."""
    service = _public_service(service_id)
    sent = request.session.get(SENT_SESSION_KEY) or {}
    if sent.get("service") != str(service.pk):
        return redirect("referrals:self_referral", service_id=service.pk)
    phones_invented = service.is_demo and bool(PHONE_DEMO_FIELDS & set(service.demo_fields))
    context = {
        **_contact_context(service),
        "reference": sent.get("reference", ""),
        "phone_numbers": queries.service_phone_numbers(service),
        "phones_invented": phones_invented,
    }
    return render(request, "contact_requests/contact_sent.html", context)


def _require_inbox(request: HttpRequest) -> None:
    if not policies.may_use_inbox(request.user):
        raise PermissionDenied


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_inbox(request)
    status = request.GET.get("status", "")
    if status not in ContactRequestStatus.values:
        status = ""
    paginator = Paginator(queries.inbox_requests(request.user, status), PER_PAGE)
    page = paginator.get_page(_page_number(request))
    query_prefix = f"?status={status}&" if status else "?"
    return render(
        request,
        "contact_requests/inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ContactRequestStatus.choices,
            "query_prefix": query_prefix,
            "new_count": queries.count_new_requests(request.user),
        },
    )


def _detail(
    request: HttpRequest, contact_request: ContactRequest, form: StatusUpdateForm, status: int
) -> HttpResponse:
    actions.record_contact_request_viewed(
        actor=request.user, contact_request=contact_request, via=request.path
    )
    return render(
        request,
        "contact_requests/inbox_detail.html",
        {
            "contact_request": contact_request,
            "form": form,
            "can_change": contact_request.status != ContactRequestStatus.CLOSED,
            "can_convert": _convertible(contact_request),
            "referral": _referral_made(request, contact_request),
            "language_name": _language_name(contact_request.language),
            "retention_days": actions.retention_days(),
        },
        status=status,
    )


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


@login_required
def inbox_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    _require_inbox(request)
    contact_request = queries.get_contact_request(request.user, request_id)
    if contact_request is None:
        raise Http404(_("No request has this address, or it is not yours to read."))
    form = StatusUpdateForm(current=contact_request.status)
    return _detail(request, contact_request, form, 200)


@login_required
@require_POST
def inbox_update(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    _require_inbox(request)
    contact_request = queries.get_contact_request(request.user, request_id)
    if contact_request is None:
        raise Http404(_("No request has this address, or it is not yours to read."))
    form = StatusUpdateForm(request.POST, current=contact_request.status)
    if not form.is_valid():
        return _detail(request, contact_request, form, 400)
    try:
        actions.update_contact_request_status(
            actor=request.user,
            contact_request=contact_request,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            via=request.path,
        )
    except actions.StatusChangeRefused:
        form.add_error(
            "status",
            _("This request is already %(status)s: it cannot be changed to that.")
            % {"status": contact_request.get_status_display().lower()},
        )
        form.describe_fields()
        return _detail(request, contact_request, form, 400)
    messages.success(
        request,
        _("Request %(reference)s is now marked %(status)s.")
        % {
            "reference": contact_request.reference,
            "status": dict(ContactRequestStatus.choices)[form.cleaned_data["status"]].lower(),
        },
    )
    return redirect(reverse("referrals:inbox_detail", args=[contact_request.pk]))


def _convertible(contact_request: ContactRequest) -> bool:
    return contact_request.referral_id is None and contact_request.status in OPEN_STATUSES


def _referral_made(request: HttpRequest, contact_request: ContactRequest) -> object:
    """The referral the request became, if the reader may open it (else None)."""
    if contact_request.referral_id is None:
        return None
    return queries.get_referral(request.user, contact_request.referral_id)


OPEN_STATUSES = (ContactRequestStatus.NEW, ContactRequestStatus.CONTACTED)
DUPLICATE_PROBLEM = _lazy(
    "Someone with the same NHS number, or the same name and date of birth, may already be "
    "recorded. Select them below if they are this person; otherwise tick the box to register "
    "a new record."
)


def _needs() -> list[tuple[str, str]]:
    return [(code, _(name)) for code, name in NEED_CHOICES]


def _convert_page(
    request: HttpRequest,
    contact_request: ContactRequest,
    form: ConvertForm,
    *,
    candidates: list[Person] = (),
    known_elsewhere: bool = False,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    actions.record_contact_request_viewed(
        actor=request.user, contact_request=contact_request, via=request.path
    )
    if candidates:  # only those the reader may open (the action names no others), audited
        actions.record_people_listed(candidates, actor=request.user, via="page:inbox_convert")
    return render(
        request,
        "contact_requests/inbox_convert.html",
        {
            "contact_request": contact_request,
            "form": form,
            "candidates": candidates,
            "known_elsewhere": known_elsewhere,
            "show_confirm": bool(candidates) or known_elsewhere or form["confirm_new"].value(),
            "errors": ([("", problem)] if problem else [])
            + (errors_in_order(form) if form.is_bound else []),
        },
        status=status,
    )


def _chosen_person(request: HttpRequest, person_id: str) -> Person | None:
    if not person_id:
        return None
    try:
        pk = uuid.UUID(person_id)
    except ValueError:
        return None
    return policies.readable_people(request.user).filter(pk=pk).first()


@login_required
def inbox_convert(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Make a citizen's request a person and a referral, in one step: their details as the
    request gives them, what it did not ask (date of birth, NHS number, need); their consent
    is the one they gave in the request."""
    _require_inbox(request)
    contact_request = queries.get_contact_request(request.user, request_id)
    if contact_request is None:
        raise Http404(_("No request has this address, or it is not yours to read."))
    back = reverse("referrals:inbox_detail", args=[contact_request.pk])
    if not _convertible(contact_request):
        messages.info(request, _("This request is closed: it cannot be made a referral."))
        return redirect(back)
    if request.method != "POST":
        start = actions.details_from_request(contact_request)
        form = ConvertForm(
            needs=_needs(),
            initial={"given_name": start.given_name, "family_name": start.family_name},
        )
        return _convert_page(request, contact_request, form)
    person_id = request.POST.get("person", "")
    chosen = _chosen_person(request, person_id)
    candidates = [chosen] if chosen is not None else []
    form = ConvertForm(request.POST, needs=_needs(), candidates=candidates)
    if not form.is_valid():
        return _convert_page(request, contact_request, form, candidates=candidates, status=400)
    data = form.cleaned_data
    start = actions.details_from_request(contact_request)
    details = actions.PersonDetails(
        given_name=data["given_name"],
        family_name=data["family_name"],
        birth_date=data["birth_date"],
        nhs_number=data["nhs_number"],
        phone=start.phone,
        email=start.email,
    )
    try:
        converted = actions.convert_contact_request(
            contact_request,
            actor=request.user,
            via="page:inbox_convert",
            details=None if chosen else details,
            person=chosen,
            confirm_new=data["confirm_new"],
            answer=data["answer"],
            need=data["need"],
        )
    except PossibleDuplicate as same:
        form = ConvertForm(request.POST, needs=_needs(), candidates=same.candidates)
        form.is_valid()
        return _convert_page(
            request,
            contact_request,
            form,
            candidates=same.candidates,
            known_elsewhere=same.known_elsewhere,
            problem=str(DUPLICATE_PROBLEM),
            status=409,
        )
    except TransitionRefused as refused:
        messages.info(request, str(refused))
        return redirect(back)
    except Refused as refused:
        field = {"person_id": "person"}.get(refused.field, refused.field)
        if field in form.fields:
            form.add_error(field, refused.message)
            problem = ""
        else:
            problem = refused.message
        return _convert_page(
            request, contact_request, form, candidates=candidates, problem=problem, status=400
        )
    messages.success(
        request,
        _("Request %(request)s is now referral %(referral)s, with the consent they gave.")
        % {"request": contact_request.reference, "referral": converted.referral.reference},
    )
    return redirect("referrals:referral_detail", referral_id=converted.referral.pk)
