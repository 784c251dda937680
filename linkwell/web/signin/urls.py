"""The sign-in pages, under /accounts/ (before Django's own auth URLs, which they override)."""

from django.urls import path

from linkwell.web.signin import views

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("verify/", views.verify, name="two_step_verify"),
    path("set-up/", views.set_up, name="two_step_set_up"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("profile/", views.profile, name="profile"),
]
