"""The page a person answers through, from the link they were sent: no sign-in, in the
language the questionnaire was given in (the picker changes it), one question per group of
radios, saved as they go and finished when ready. A link that has expired or been used says
so plainly and offers a new one; what was answered before is kept."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linkwell.outcomes import actions, instruments, links
from linkwell.outcomes.instruments import AnswersRefused
from linkwell.outcomes.models import Administration
from linkwell.web.outcomes.forms import AnswersForm, wording
from linkwell.web.outcomes.views import answers_page

VIA = "page:answer"
CLOSED = links.LinkProblem


def _in_their_language(request: HttpRequest, administration: Administration) -> str:
    """The questionnaire's language, unless the person chose another with the picker."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.get_language()
    try:
        code = translation.get_supported_language_variant(administration.language or "en")
    except LookupError:
        return translation.get_language()
    translation.activate(code)
    request.LANGUAGE_CODE = code
    return code


def _closed(request: HttpRequest, token: str, closed: Exception | None = None) -> HttpResponse:
    """Why the link no longer opens, in plain words, and (if a new one may be asked for) a
    button that sends one. `closed` None: unknown."""
    link = links.find(token)
    if link is not None:
        _in_their_language(request, link.administration)
    if isinstance(closed, links.LinkExpired):
        heading, status = _("This link has expired"), 410
    elif isinstance(closed, links.LinkUsed):
        heading, status = _("Your answers have been sent"), 410
    elif isinstance(closed, links.TooManyRequests):
        heading, status = _("A new link was not sent"), 429
    else:
        heading, status = _("This link does not work"), 404
    message = getattr(closed, "message", "") or _(
        "Check it was copied whole, or ask whoever sent it."
    )
    return render(
        request,
        "outcomes/answer_closed.html",
        {
            "heading": heading,
            "message": message,
            "may_ask": bool(getattr(closed, "can_ask_again", False)) and link is not None,
            "token": token,
        },
        status=status,
    )


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = links.find(token)
    if link is not None:  # its refusals are worded in the questionnaire's language too
        _in_their_language(request, link.administration)
    try:
        administration = links.open_link(token)
    except CLOSED as closed:
        return _closed(request, token, closed)
    language = translation.get_language()
    instrument = instruments.get(administration.instrument)
    if instrument is None:
        return _closed(request, token)
    context = {"token": token}
    if request.method != "POST":
        form = AnswersForm(
            instrument=instrument,
            language=language,
            initial={f"item_{k}": v for k, v in (administration.answers or {}).items()},
        )
        return answers_page(request, "outcomes/answer.html", administration, form, **context)
    form = AnswersForm(request.POST, instrument=instrument, language=language)
    if not form.is_valid():
        return answers_page(request, "outcomes/answer.html", administration, form, **context)
    finish = "finish" in request.POST
    try:
        actions.answer_by_link(token, form.answers(), complete=finish)
    except AnswersRefused as refused:
        form.refuse(refused.problems)
        return answers_page(request, "outcomes/answer.html", administration, form, **context)
    except CLOSED as closed:
        return _closed(request, token, closed)
    if finish:
        return render(
            request, "outcomes/answer_done.html", {"name": wording(instrument.name, language)}
        )
    messages.success(request, _("Your answers are saved. Come back to this link to finish."))
    return redirect("outcomes:answer", token=token)


@require_POST
def new_link(request: HttpRequest, token: str) -> HttpResponse:
    """Send a fresh link the way the old one came, to the details already held (none are
    shown or asked for here); the action limits how often."""
    link = links.find(token)
    if link is not None:
        _in_their_language(request, link.administration)
    try:
        actions.request_new_link(token)
    except links.LinkProblem as closed:
        if type(closed) is links.LinkProblem:  # it still works: back to the questions
            return redirect("outcomes:answer", token=token)
        return _closed(request, token, closed)
    assert link is not None
    return render(request, "outcomes/answer_new_link.html", {"channel": link.channel})
