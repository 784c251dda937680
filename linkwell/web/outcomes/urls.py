"""The outcomes pages' addresses (namespace `outcomes`)."""

from django.urls import path

from linkwell.web.outcomes import answer, person, views

app_name = "outcomes"

urlpatterns = [
    path("cases/<uuid:case_id>/questionnaires/new/", views.start_for_case, name="start_for_case"),
    path("cases/<uuid:case_id>/questionnaires/link/", views.send_link, name="send_link"),
    path("referrals/<uuid:referral_id>/outcome/", views.referral_outcome, name="referral_outcome"),
    path(
        "referrals/<uuid:referral_id>/questionnaires/new/",
        views.start_for_referral,
        name="start_for_referral",
    ),
    path(
        "questionnaires/<uuid:administration_id>/",
        views.administration_page,
        name="administration",
    ),
    path("people/<uuid:person_id>/outcomes/", person.person_outcomes, name="person_outcomes"),
    path(
        "people/<uuid:person_id>/outcomes/<slug:key>/chart.svg",
        person.person_chart,
        name="person_chart",
    ),
    # The person's own, from the link they were sent: no sign-in.
    path("answer/<str:token>/", answer.answer, name="answer"),
    path("answer/<str:token>/new-link/", answer.new_link, name="answer_new_link"),
]
