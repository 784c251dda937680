from django.urls import path

from linkwell.referrals import views

app_name = "referrals"
urlpatterns = [
    path("services/<uuid:service_id>/contact/", views.self_referral, name="self_referral"),
    path("inbox/", views.inbox, name="inbox"),
]
