"""The in-product inbox of notifications: new referrals, decisions, escalations, completions;
and the e-mails and texts the person caused lately, with whether each went and what to do.
Each person reads and marks only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linkwell.notifications import delivery
from linkwell.notifications import queries as nq
from linkwell.referrals import actions
from linkwell.referrals import queries as rq
from linkwell.referrals.models import Notification, NotificationKind
from linkwell.web.work.common import PER_PAGE, get_page_number


def kind_shown(note: Notification) -> str:
    """The kind's label, or "" when the message already says it ("New referral LW-..." is
    not shown as "New referral: New referral LW-...")."""
    label = NotificationKind(note.kind).label if note.kind in NotificationKind.values else ""
    with translation.override("en"):
        english = str(label)
    said = (note.message or "").casefold()
    if not label or said.startswith(english.casefold()) or said.startswith(str(label).casefold()):
        return ""
    return str(label)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notes = rq.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(notes, PER_PAGE).get_page(get_page_number(request))
    for note in page.object_list:
        note.kind_shown = kind_shown(note)
    sent = nq.messages_sent_by(request.user)
    for message in sent:
        message.advice = delivery.advice(message)
    return render(
        request,
        "notifications/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": rq.count_unread(request.user),
            "query_prefix": "?show=unread&" if unread_only else "?",
            "sent": sent,
        },
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one (`id`) or every unread notification (`all`) as read."""
    if request.POST.get("all"):
        ids = rq.notifications_for(request.user, unread_only=True).values_list("pk", flat=True)
    else:
        ids = [i for i in request.POST.getlist("id") if i.isdigit()]
    count = actions.mark_read(request.user, ids)
    if count:
        messages.success(
            request,
            ngettext(
                "%(n)s notification marked as read.", "%(n)s notifications marked as read.", count
            )
            % {"n": count},
        )
    else:
        messages.success(request, _("Nothing to mark: they were read already."))
    return redirect("referrals:notifications")
