"""Every page's address. The URL names keep their namespaces (`directory`, `listings`,
`referrals`), so links written before the pages moved here still resolve."""

from django.urls import include, path

from linkwell.web.contact_requests import views as contact_requests
from linkwell.web.find_support import urls as find_support
from linkwell.web.listings import views as listings
from linkwell.web.match import views as match
from linkwell.web.notifications import views as notifications
from linkwell.web.provider import views as provider
from linkwell.web.review import views as review
from linkwell.web.staff_home import views as staff_home
from linkwell.web.work.cases import views as cases
from linkwell.web.work.contacts import views as contacts
from linkwell.web.work.people import views as people
from linkwell.web.work.refer import views as refer
from linkwell.web.work.referrals import views as referrals

contact_request_urls = [
    path(
        "services/<uuid:service_id>/contact/",
        contact_requests.self_referral,
        name="self_referral",
    ),
    path(
        "services/<uuid:service_id>/contact/sent/",
        contact_requests.self_referral_sent,
        name="self_referral_sent",
    ),
    path("inbox/", contact_requests.inbox, name="inbox"),
    path("inbox/<uuid:request_id>/", contact_requests.inbox_detail, name="inbox_detail"),
    path("inbox/<uuid:request_id>/status/", contact_requests.inbox_update, name="inbox_update"),
]

people_urls = [
    path("people/new/", people.person_new, name="person_new"),
    path("people/<uuid:person_id>/", people.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/consents/", people.consent_record, name="consent_record"),
    path(
        "people/<uuid:person_id>/consents/<uuid:consent_id>/withdraw/",
        people.consent_withdraw,
        name="consent_withdraw",
    ),
]

contact_urls = [
    path("people/<uuid:person_id>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("contacts/<uuid:encounter_id>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<uuid:encounter_id>/refer/", contacts.contact_refer, name="contact_refer"),
    path("contacts/<uuid:encounter_id>/consent/", contacts.contact_consent, name="contact_consent"),
]

referral_urls = [
    path("referrals/", referrals.my_referrals, name="my_referrals"),
    path("referrals/<uuid:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:referral_id>/<slug:move>/",
        referrals.referral_move,
        name="referral_move",
    ),
]

provider_urls = [
    path("provider/referrals/", provider.provider_referrals, name="provider_referrals"),
    path(
        "provider/services/<uuid:service_id>/capacity/",
        provider.capacity_set,
        name="capacity_set",
    ),
]

case_urls = [
    path("caseload/", cases.caseload, name="caseload"),
    path("cases/<uuid:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/<slug:verb>/", cases.case_action, name="case_action"),
]

notification_urls = [
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
]

# Answers that report well: a provider's capacity list, a connector's closed cases, and a
# citizen's request made a referral in one step.
answers_urls = [
    path("provider/capacity/", provider.provider_capacity, name="provider_capacity"),
    path("caseload/closed/", cases.closed_cases, name="closed_cases"),
    path(
        "inbox/<uuid:request_id>/referral/",
        contact_requests.inbox_convert,
        name="inbox_convert",
    ),
]

listing_urls = [
    path("provider/", listings.dashboard, name="dashboard"),
    path("provider/services/<uuid:service_id>/edit/", listings.edit, name="edit"),
    path("provider/services/<uuid:service_id>/confirm/", listings.confirm, name="confirm"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<uuid:change_id>/", review.review, name="review"),
]

# Refer from anywhere: a service's "Refer someone" (find or register the person, consent, refer).
refer_urls = [
    path("services/<uuid:service_id>/refer/", refer.refer_to_service, name="refer_to_service"),
]

# The staff home: where staff land after signing in (what needs them, finding a person).
staff_home_urls = [
    path("staff/", staff_home.staff_home, name="staff_home"),
]

work = (
    staff_home_urls
    + contact_request_urls
    + people_urls
    + contact_urls
    + referral_urls
    + provider_urls
    + case_urls
    + notification_urls
    + refer_urls
    + answers_urls
)

# What could help (staff) and Tell us what you need (anyone): words in, needs, matches.
match_urls = [
    path("staff/what-could-help/", match.what_could_help, name="what_could_help"),
    path("find-support/tell-us/", match.tell_us, name="tell_us"),
]

urlpatterns = [
    # Before the work pages: `referrals/<id>/outcome/` is not one of a referral's moves.
    path("", include("linkwell.web.outcomes.urls")),
    path("", include((work, "referrals"))),
    path("", include((match_urls, "match"))),
    path("", include((listing_urls, "listings"))),
    path("", include(find_support)),
    path("", include("linkwell.web.evaluation.urls")),
    path("", include("linkwell.web.hub.urls")),
    path("", include("linkwell.web.imports.urls")),
]
