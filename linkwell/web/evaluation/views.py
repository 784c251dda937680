"""The evaluation report of a programme: the page (with the form that chooses it), the same
as CSV and as a printable PDF. For analysts and partnership admins only; every read of the
figures is audited by the query."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linkwell.outcomes.evaluation import queries
from linkwell.web.evaluation import pdf, tables
from linkwell.web.evaluation.forms import ReportForm, initial, submitted
from linkwell.web.work.common import found, require


def _report(request: HttpRequest, via: str) -> tuple[ReportForm, dict[str, Any] | None]:
    """The form from the address, and the report it asks for (None until it is valid)."""
    require(queries.may_view_programme_figures(request.user))
    if not submitted(request.GET):
        return ReportForm(initial=initial(request.user), actor=request.user), None
    form = ReportForm(request.GET, actor=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        report = queries.programme_report(
            data["programme"],
            measure=data["measure"],
            start=data["start"],
            end=data["end"],
            actor=request.user,
            via=via,
        )
    except LookupError:
        report = None
    return form, report


@login_required
def evaluation_report(request: HttpRequest) -> HttpResponse:
    form, report = _report(request, "page:evaluation_report")
    query = request.GET.urlencode()
    return render(
        request,
        "evaluation/report.html",
        {
            "form": form,
            "asked": submitted(request.GET),
            "report": report,
            "tables": tables.build(report) if report else [],
            "explanation": tables.explanation(report["threshold"]) if report else "",
            "query": query,
        },
    )


def _filename(report: dict[str, Any], extension: str) -> str:
    period = report["period"]
    return f"evaluation-{report['measure']['code']}-{period['start']}-{period['end']}.{extension}"


@login_required
def evaluation_csv(request: HttpRequest) -> HttpResponse:
    _form, report = _report(request, "page:evaluation_csv")
    report = found(report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerows(tables.csv_rows(report, tables.build(report)))
    return response


@login_required
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    _form, report = _report(request, "page:evaluation_pdf")
    report = found(report)
    response = HttpResponse(
        pdf.render(report, tables.build(report)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    return response
