"""Background work as staff follow it: each job's page with its progress, result and next step."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsroom import progress, tasks
from newsroom.models import Job

from .common import RecordAdmin, error_message
from .lists import CappedPaginator


def job_url(job):
    return reverse("admin:newsroom_job_change", args=[job.pk])


@admin.register(Job)
class JobAdmin(RecordAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "finished_at", "outcome"]
    list_filter = ["state", "kind"]
    list_select_related = ["created_by"]
    list_display_links = ["__str__"]
    paginator = CappedPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).of(request.user)

    def has_module_permission(self, request):
        return request.user.has_perm("newsroom.import_bulletin")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("newsroom.import_bulletin")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", view(self.progress_view), name="newsroom_job_progress"),
            path("<int:pk>/confirm/", view(self.confirm_view), name="newsroom_job_confirm"),
            path("<int:pk>/again/", view(self.again_view), name="newsroom_job_again"),
            *super().get_urls(),
        ]

    def _job(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Job.objects.of(request.user).select_related("batch"), pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: its progress while it runs (refreshing itself), then its result or its errors."""
        if not object_id.isdigit():
            raise Http404
        job = self._job(request, int(object_id))
        context = {
            **self.admin_site.each_context(request),
            "title": str(job),
            "opts": self.model._meta,
            "job": job,
            "progress": progress.read(job.pk),
            "report": job.report,
        }
        return TemplateResponse(request, "admin/newsroom/job/job.html", context)

    def progress_view(self, request, pk):
        """What the page's script asks for every second while the job runs."""
        job = self._job(request, pk)
        reported = progress.read(job.pk) or {}
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "finished": job.finished,
                "broken_off": job.broken_off,
                "step": reported.get("step", ""),
                "done": reported.get("done", 0),
                "total": reported.get("total", 0),
                "percent": reported.get("percent", 0),
            }
        )

    def confirm_view(self, request, pk):
        """确认导入 on a preview: the same upload imported by a job of its own."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        preview = self._job(request, pk)
        if not request.user.has_perm("newsroom.import_bulletin"):
            raise PermissionDenied
        if preview.kind != Job.Kind.PREVIEW or preview.state != Job.State.DONE or preview.report.get("error_count"):
            self.message_user(request, "这份预览不能确认导入，请重新上传。", messages.ERROR)
            return HttpResponseRedirect(job_url(preview))
        arguments = {name: value for name, value in preview.arguments.items() if name != "token"}
        job = tasks.import_upload(request.user, preview.arguments["token"], arguments)
        return HttpResponseRedirect(job_url(job))

    def again_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = self._job(request, pk)
        try:
            tasks.run_again(job, request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_message(error), messages.ERROR)
        return HttpResponseRedirect(job_url(job))
