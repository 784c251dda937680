from django.urls import path

from linkwell.referrals import views
from linkwell.referrals.referral_views import (
    cases,
    contacts,
    notifications,
    people,
    provider,
    referrals,
)

app_name = "referrals"
urlpatterns = [
    path("services/<uuid:service_id>/contact/", views.self_referral, name="self_referral"),
    path(
        "services/<uuid:service_id>/contact/sent/",
        views.self_referral_sent,
        name="self_referral_sent",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:request_id>/", views.inbox_detail, name="inbox_detail"),
    path("inbox/<uuid:request_id>/status/", views.inbox_update, name="inbox_update"),
]

# The referral pages of issue 4 (people, contacts, referrals, capacity, caseloads, notifications).
urlpatterns += [
    path("people/new/", people.person_new, name="person_new"),
    path("people/<uuid:person_id>/", people.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/consents/", people.consent_record, name="consent_record"),
    path(
        "people/<uuid:person_id>/consents/<uuid:consent_id>/withdraw/",
        people.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<uuid:person_id>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("contacts/<uuid:encounter_id>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<uuid:encounter_id>/refer/", contacts.contact_refer, name="contact_refer"),
    path("contacts/<uuid:encounter_id>/consent/", contacts.contact_consent, name="contact_consent"),
    path("referrals/", referrals.my_referrals, name="my_referrals"),
    path("referrals/<uuid:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:referral_id>/<slug:move>/",
        referrals.referral_move,
        name="referral_move",
    ),
    path("provider/referrals/", provider.provider_referrals, name="provider_referrals"),
    path(
        "provider/services/<uuid:service_id>/capacity/",
        provider.capacity_set,
        name="capacity_set",
    ),
    path("caseload/", cases.caseload, name="caseload"),
    path("cases/<uuid:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/<slug:verb>/", cases.case_action, name="case_action"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
]
