"""Regions, bureaus, correspondents and issues: what readers' pages are filed under."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from newsroom import records
from newsroom.bulletin.export import export_issue
from newsroom.models import Bureau, Correspondent, Issue, Page, Region
from newsroom.services import directory

from .lists import BureauFilter


class DirectoryAdmin(admin.ModelAdmin):
    """Saved and deleted through the directory service, which shows the change on readers' pages."""

    def save_model(self, request, obj, form, change):
        directory.save(obj)

    def delete_model(self, request, obj):
        directory.delete(obj)

    def delete_queryset(self, request, queryset):
        directory.delete_all(queryset)


class InUseAdmin(DirectoryAdmin):
    """Bureaus and people in use, said in words: Django draws a yes/no icon named "True" or "False"."""

    @admin.display(description="在用", ordering="active")
    def in_use(self, obj):
        return "是" if obj.active else "否"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return ["in_use" if name == "active" else name for name in fields]
        return fields


@admin.register(Region)
class RegionAdmin(DirectoryAdmin):
    list_display = ["name", "short_name", "level", "parent", "slug"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "slug"]
    list_select_related = ["parent"]


@admin.register(Bureau)
class BureauAdmin(InUseAdmin):
    list_display = ["__str__", "region", "in_use"]
    list_filter = ["active"]
    search_fields = ["region__name", "region__short_name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Correspondent)
class CorrespondentAdmin(InUseAdmin):
    list_display = ["name", "title", "unit", "bureau", "in_use"]
    # The bureaus from the region map: Django's own filter read each one's region, one query a bureau.
    list_filter = ["title", "active", BureauFilter]
    search_fields = ["name", "unit"]
    autocomplete_fields = ["bureau", "user"]
    list_select_related = ["bureau__region"]
    CONTACT_FIELDS = ("phone", "email", "user")

    def may_see_contacts(self, request):
        return request.user.has_perm("newsroom.change_correspondent") or request.user.has_perm("newsroom.review_story")

    def get_exclude(self, request, obj=None):
        # Contributors pick colleagues for credits; their telephone numbers are not theirs to read.
        return () if self.may_see_contacts(request) else self.CONTACT_FIELDS

    def get_urls(self):
        return [
            path("records/", self.admin_site.admin_view(self.records_view), name="newsroom_correspondent_records"),
            *super().get_urls(),
        ]

    def records_view(self, request):
        """Pieces and characters per person and bureau: everyone's for the desk, one's own for anyone else."""
        everyone = request.user.has_perm("newsroom.review_story")
        person = None if everyone else Correspondent.objects.filter(user=request.user.pk).first()
        form = records.RecordsForm(request.GET or None)
        tables = None
        if (everyone or person is not None) and form.is_valid():
            tables = records.count_pieces(records.Selection.of(form.cleaned_data), person=person)
            if request.GET.get("format") == "csv":
                return records.as_csv(tables)
        context = {
            **self.admin_site.each_context(request),
            "title": "通讯员发稿统计" if everyone else "我的发稿统计",
            "form": form,
            "tables": tables,
            "everyone": everyone,
            "person": person,
            "character_rule": records.CHARACTER_RULE,
            "csv_query": csv_query(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsroom/correspondent/records.html", context)


def csv_query(request):
    """The page's query with ``format=csv``: the same records as a file."""
    query = request.GET.copy()
    query["format"] = "csv"
    return query.urlencode()


class PageInline(admin.TabularInline):
    model = Page
    # A page's PDF comes with its import (and its images and zones with it), never by hand here.
    fields = ["number", "name"]
    extra = 0


@admin.register(Issue)
class IssueAdmin(DirectoryAdmin):
    list_display = ["number", "date"]
    date_hierarchy = "date"
    search_fields = ["number"]
    inlines = [PageInline]
    actions = ["export_bundle"]

    def save_formset(self, request, form, formset, change):
        # The formset only reads the pages from the form (and notes the changes for the history).
        pages = formset.save(commit=False)
        directory.save_pages(form.instance, pages, removed=formset.deleted_objects)

    def has_import_permission(self, request):
        return request.user.has_perm("newsroom.import_bulletin")

    @admin.action(description="导出所选的一期（整期包 ZIP）", permissions=["import"])
    def export_bundle(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "请只选一期导出。", messages.WARNING)
            return None
        issue = queryset.get()
        response = HttpResponse(export_issue(issue, request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="issue-{issue.number}.zip"'
        return response
