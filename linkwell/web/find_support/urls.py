from django.urls import path

from linkwell.web.find_support import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="service_list"),
    path("services/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("about/", views.about, name="about"),
]
