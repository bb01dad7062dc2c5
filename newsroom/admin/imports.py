"""Import batches, and the one screen that brings in page texts, tables and bundles."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsroom import import_uploads, tasks
from newsroom.models import ImportBatch, ImportedStory
from newsroom.services import imports

from .common import RecordAdmin, RecordInline
from .jobs import job_url
from .lists import CappedPaginator, IssueFilter


class ImportedStoryInline(RecordInline):
    model = ImportedStory
    fields = ["story", "action"]
    readonly_fields = fields


@admin.register(ImportBatch)
class ImportBatchAdmin(RecordAdmin):
    list_display = [
        "__str__",
        "created_at",
        "created_by",
        "issue",
        "file_names",
        "created_count",
        "updated_count",
        "state",
    ]
    # The latest issues to choose from, not every one; counted up to a bound, as every long list.
    list_filter = ["state", IssueFilter]
    list_select_related = ["created_by", "issue"]
    paginator = CappedPaginator
    show_full_result_count = False
    fields = [
        "created_at",
        "created_by",
        "issue",
        "file_names",
        "created_count",
        "updated_count",
        "unchanged_count",
        "state",
        "undone_at",
        "undone_by",
    ]
    readonly_fields = fields
    inlines = [ImportedStoryInline]

    @admin.display(description="文件")
    def file_names(self, batch):
        return "、".join(file["name"] for file in batch.files)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/undo/", view(self.undo_view), name="newsroom_importbatch_undo"),
            path("upload/", view(self.upload_view), name="newsroom_importbatch_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Send page texts, tables or a bundle: a worker reads them, and the job's page shows the preview."""
        if not request.user.has_perm("newsroom.import_bulletin"):
            raise PermissionDenied
        form = import_uploads.BulletinUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = import_uploads.keep(request.user, form.cleaned_data["files"])
            options = {
                "issue_number": form.cleaned_data["issue"],
                "issue_date": form.cleaned_data["date"],
                "page": form.cleaned_data["page"],
            }
            job = tasks.preview_upload(request.user, token, options)
            return HttpResponseRedirect(job_url(job))
        context = {
            **self.admin_site.each_context(request),
            "title": "导入一期报纸",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/newsroom/importbatch/upload.html", context)

    def undo_view(self, request, pk):
        """撤销: the batch is taken back by a worker; the job's page follows it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("newsroom.import_bulletin"):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        if batch.state == ImportBatch.State.UNDONE:
            self.message_user(request, f"{batch} 已经撤销过了。", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:newsroom_importbatch_change", args=[batch.pk]))
        # The stories changed since the import that the person ticked: those are taken back too.
        confirmed = [int(value) for value in request.POST.getlist("confirmed") if value.isdigit()]
        return HttpResponseRedirect(job_url(tasks.undo(request.user, batch, confirmed)))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.state == ImportBatch.State.APPLIED:
            context["undo_url"] = reverse("admin:newsroom_importbatch_undo", args=[obj.pk])
            context["changed_stories"], context["live_stories"] = imports.undo_preview(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
