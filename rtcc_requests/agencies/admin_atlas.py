"""Admin page where staff upload an Atlas of Surveillance CSV (same import as the command).

Loaded from agencies/admin.py. The page is added to the default admin site's URLs, so
it gets the admin's login, staff check and CSRF protection.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from .atlas import NotAtlasCsv, atlas_import
from .models import Deployment

# Showing 50,000 rejected rows helps nobody; the count says how many more there are.
ERRORS_SHOWN = 200
REQUIRED_PERMISSIONS = (
    "agencies.add_agency",
    "agencies.change_agency",
    "agencies.add_vendor",
    "agencies.add_deployment",
    "agencies.change_deployment",
)


class AtlasUploadForm(forms.Form):
    file = forms.FileField(
        label="Atlas of Surveillance CSV",
        help_text="The CSV from the Atlas data library, or a file in the same layout.",
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Dry run: show what would change and write nothing",
    )


def atlas_import_view(request):
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = AtlasUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                report = atlas_import(data=data, dry_run=form.cleaned_data["dry_run"])
            except NotAtlasCsv as error:
                form.add_error("file", str(error))
    else:
        form = AtlasUploadForm()
    context = {
        **admin.site.each_context(request),
        "title": "Import an Atlas of Surveillance CSV",
        "opts": Deployment._meta,
        "form": form,
        "report": report,
        "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
        "errors_hidden": max(0, len(report.errors) - ERRORS_SHOWN) if report else 0,
    }
    return TemplateResponse(request, "admin/agencies/atlas_import.html", context)


def _with_atlas_url(get_urls):
    def get_urls_with_atlas():
        page = path(
            "agencies/atlas-import/",
            admin.site.admin_view(atlas_import_view),
            name="agencies_atlas_import",
        )
        return [page, *get_urls()]

    return get_urls_with_atlas


admin.site.get_urls = _with_atlas_url(admin.site.get_urls)
