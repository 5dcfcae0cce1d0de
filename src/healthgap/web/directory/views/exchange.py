"""Import and export of the directory in Open Referral UK (HSDS 3.0) JSON or CSV.

An import is validated completely first and loads nothing if any problem is found; the page
lists every problem (record, field, value, rule). Both are audited (`oruk.actions`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.directory.forms import ExportForm, ImportForm
from healthgap.web.directory.views._guards import posted
from healthgap.web.oruk import actions as oruk_actions
from healthgap.web.oruk.exchange import read_upload


@require_permission(Permission.IMPORT_DATA)
def import_directory(request: HttpRequest) -> HttpResponse:
    form = ImportForm(*posted(request, files=True))
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        bundle = read_upload(upload.name, upload.read())
        report = oruk_actions.import_directory(by=request.user, bundle=bundle, source=upload.name)
        if report.ok:
            messages.success(request, f"Imported {upload.name}: {report.summary()}.")
            return redirect("directory:import")
    return render(request, "directory/import.html", {"form": form, "report": report})


@require_permission(Permission.EXPORT_DATA)
def export_directory(request: HttpRequest) -> HttpResponse:
    form = ExportForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        export = oruk_actions.export_directory(by=request.user, fmt=form.cleaned_data["format"])
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    return render(request, "directory/export.html", {"form": form})
