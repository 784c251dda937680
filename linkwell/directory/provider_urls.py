"""Pages for providers who keep their listings current, and for the admins who publish them."""

from django.urls import path

from linkwell.directory import provider_views as views

app_name = "listings"
urlpatterns = [
    path("provider/", views.dashboard, name="dashboard"),
    path("provider/services/<uuid:service_id>/edit/", views.edit, name="edit"),
    path("provider/services/<uuid:service_id>/confirm/", views.confirm, name="confirm"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<uuid:change_id>/", views.review, name="review"),
]
