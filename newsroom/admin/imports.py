"""Import batches, and the one screen that brings in page texts, tables and bundles."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsroom import import_uploads
from newsroom.models import ImportBatch, ImportedStory
from newsroom.services import imports

from .common import RecordInline, error_message


class ImportedStoryInline(RecordInline):
    model = ImportedStory
    fields = ["story", "action"]
    readonly_fields = fields


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
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
    list_filter = ["state", "issue"]
    list_select_related = ["created_by", "issue"]
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/undo/", view(self.undo_view), name="newsroom_importbatch_undo"),
            path("upload/", view(self.upload_view), name="newsroom_importbatch_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Send page texts, tables or a bundle; see what they will do; confirm."""
        if not request.user.has_perm("newsroom.import_bulletin"):
            raise PermissionDenied
        form = import_uploads.BulletinUploadForm(request.POST or None, request.FILES or None)
        context = {**self.admin_site.each_context(request), "title": "导入一期报纸", "opts": self.model._meta}
        if request.method == "POST" and request.POST.get("token"):
            return self.confirm_upload(request, context)
        if request.method == "POST" and form.is_valid():
            token = import_uploads.keep(request.user, form.cleaned_data["files"])
            options = {
                "issue_number": form.cleaned_data["issue"],
                "issue_date": form.cleaned_data["date"],
                "page": form.cleaned_data["page"],
            }
            plan, _ = imports.import_bulletin(
                import_uploads.fetch(request.user, token), actor=request.user, dry_run=True, **options
            )
            if plan.errors:
                import_uploads.discard(request.user, token)
            context.update(plan=plan, token=token, options=options)
        context["form"] = form
        return TemplateResponse(request, "admin/newsroom/importbatch/upload.html", context)

    def confirm_upload(self, request, context):
        token = request.POST["token"]
        uploads = import_uploads.fetch(request.user, token)
        if not uploads:
            self.message_user(request, "找不到要导入的文件，请重新上传。", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:newsroom_importbatch_upload"))
        form = import_uploads.BulletinUploadForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        plan, batch = imports.import_bulletin(
            uploads,
            actor=request.user,
            issue_number=data.get("issue"),
            issue_date=data.get("date"),
            page=data.get("page"),
        )
        import_uploads.discard(request.user, token)
        if batch is None:
            context.update(plan=plan, form=import_uploads.BulletinUploadForm())
            return TemplateResponse(request, "admin/newsroom/importbatch/upload.html", context)
        self.message_user(
            request,
            f"{batch} 已导入：新建 {batch.created_count} 篇，更新 {batch.updated_count} 篇，"
            f"未变 {batch.unchanged_count} 篇。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:newsroom_importbatch_change", args=[batch.pk]))

    def undo_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("newsroom.import_bulletin"):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        confirmed = [value for value in request.POST.getlist("confirmed") if value.isdigit()]
        try:
            batch = imports.undo_batch(batch, actor=request.user, confirmed=confirmed)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_message(error), messages.ERROR)
        else:
            self.message_user(request, f"{batch} 已撤销。", messages.SUCCESS)
            if batch.kept:
                kept = "；".join(f"“{story['headline']}”（{story['reason']}）" for story in batch.kept[:10])
                more = "等，全部列在本页" if len(batch.kept) > 10 else ""
                self.message_user(request, f"保留了 {len(batch.kept)} 篇，未撤销：{kept}{more}。", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:newsroom_importbatch_change", args=[batch.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.state == ImportBatch.State.APPLIED:
            context["undo_url"] = reverse("admin:newsroom_importbatch_undo", args=[obj.pk])
            context["changed_stories"], context["live_stories"] = imports.undo_preview(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
