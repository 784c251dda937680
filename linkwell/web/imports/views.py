"""Partnership admins import services from a file: upload it, see it checked and written by the
worker, and read each row's problems. The rules (who may, which files) live in the action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linkwell.directory.importers import uploads
from linkwell.directory.importers.uploads import UploadRefused
from linkwell.directory.queries import imports as queries
from linkwell.web.imports.forms import ImportCheckedForm, UploadForm

PROBLEMS_SHOWN = 500


def _require_importer(request: HttpRequest) -> None:
    if not uploads.may_import(request.user):
        raise PermissionDenied


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = uploads.request_import(
                actor=request.user,
                filename=upload.name or "",
                content=upload.read(uploads.max_bytes() + 1),
                mode=form.cleaned_data["mode"],
                scheme=form.cleaned_data["scheme"],
            )
        except UploadRefused as refusal:
            form.add_error(refusal.field, str(refusal))
        else:
            messages.success(request, _("Your file is uploaded: its import has been queued."))
            return redirect("imports:detail", run.pk)
    context = {
        "form": form,
        "runs": queries.recent_runs(),
        "max_mb": uploads.max_bytes() // 1024 // 1024,
    }
    return render(request, "imports/list.html", context, status=400 if form.errors else 200)


@login_required
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_importer(request)
    run = queries.get_run(run_id)
    if run is None:
        raise Http404(_("No import has this address."))
    problem = ""
    if request.method == "POST":
        form = ImportCheckedForm(request.POST)
        form.is_valid()
        try:
            new = uploads.import_checked(
                actor=request.user,
                checked=run,
                good_rows_only=bool(form.cleaned_data.get("good_rows_only")),
            )
        except UploadRefused as refusal:
            problem = str(refusal)
        else:
            messages.success(request, _("The checked file's import has been queued."))
            return redirect("imports:detail", new.pk)
    context = {
        "run": run,
        "problems": run.errors[:PROBLEMS_SHOWN],
        "more_problems": max(0, len(run.errors) - PROBLEMS_SHOWN),
        "file_kept": queries.file_kept(run),
        "problem": problem,
        "written": run.created + run.updated + run.unchanged,
    }
    return render(request, "imports/detail.html", context, status=400 if problem else 200)
