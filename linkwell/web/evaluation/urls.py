"""The evaluation report's addresses (namespace `evaluation`)."""

from django.urls import path

from linkwell.web.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("staff/evaluation/", views.evaluation_report, name="report"),
    path("staff/evaluation/report.csv", views.evaluation_csv, name="report_csv"),
    path("staff/evaluation/report.pdf", views.evaluation_pdf, name="report_pdf"),
]
