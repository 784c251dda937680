from django.urls import path

from linkwell.referrals import views

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
