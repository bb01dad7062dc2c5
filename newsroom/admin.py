"""The editors' desk. Every change goes through the services; the admin only asks and shows."""

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.dateparse import parse_datetime
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from . import body as story_body
from . import content, images, import_uploads, records, revisions
from .bulletin.export import export_issue
from .models import (
    STORY_STATES,
    Bureau,
    Correspondent,
    Credit,
    ImportBatch,
    ImportedStory,
    Issue,
    Page,
    Photo,
    Region,
    Story,
    Transition,
)
from .resources import BulletinTableResource
from .services import imports
from .services import photos as photo_services
from .services import stories as story_service
from .services.workflow import RULES, Action, allowed_actions, transition
from .speed.rows import Prefetched


class ShownToReaders:
    """Regions, bureaus, people and issues appear on readers' pages: a change renders them afresh."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content.changed()


@admin.register(Region)
class RegionAdmin(ShownToReaders, admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent", "slug"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "slug"]
    list_select_related = ["parent"]


@admin.register(Bureau)
class BureauAdmin(ShownToReaders, admin.ModelAdmin):
    list_display = ["__str__", "region", "active"]
    list_filter = ["active"]
    search_fields = ["region__name", "region__short_name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Correspondent)
class CorrespondentAdmin(ShownToReaders, admin.ModelAdmin):
    list_display = ["name", "title", "unit", "bureau", "active"]
    list_filter = ["title", "active", "bureau"]
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
        if not request.user.has_perm("newsroom.review_story"):
            raise PermissionDenied
        form = records.PeriodForm(request.GET or None)
        tables = None
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            tables = records.count_pieces(start, end)
            if request.GET.get("format") == "csv":
                return records.as_csv(tables, start, end)
        context = {
            **self.admin_site.each_context(request),
            "title": "通讯员发稿统计",
            "form": form,
            "tables": tables,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsroom/correspondent/records.html", context)


class PageInline(admin.TabularInline):
    model = Page
    extra = 0


@admin.register(Issue)
class IssueAdmin(ShownToReaders, admin.ModelAdmin):
    list_display = ["number", "date"]
    date_hierarchy = "date"
    search_fields = ["number"]
    inlines = [PageInline]
    actions = ["export_bundle"]

    def has_import_permission(self, request):
        return request.user.has_perm("newsroom.import_bulletin")

    @admin.action(description="导出所选的一期（整期包 ZIP）", permissions=["import"])
    def export_bundle(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "请只选一期导出。", messages.WARNING)
            return None
        issue = queryset.get()
        response = HttpResponse(export_issue(issue), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="issue-{issue.number}.zip"'
        return response


class StoryForm(forms.ModelForm):
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text="每段一行；小标题单占一行，以“## ”开头。",
    )
    # The version of the story this form was opened on: a save over a newer one is refused.
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Story
        fields = story_service.EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["body"] = story_body.to_editable(self.instance.body)
            self.initial["opened_version"] = self.instance.updated_at.isoformat()

    def clean_body(self):
        return story_body.from_editable(self.cleaned_data["body"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            opened = parse_datetime(cleaned.get("opened_version") or "")
            try:
                story_service.check_unchanged(self.instance, opened)
            except story_service.EditConflict as conflict:
                raise ValidationError(conflict.messages) from conflict
        return cleaned


class StoryPartInline:
    """Credits and photos may change when, and only when, the story may."""

    def has_add_permission(self, request, obj=None):
        return obj is None or story_service.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or story_service.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or story_service.can_edit(request.user, obj)


class NamedColumnsFormSet(forms.BaseInlineFormSet):
    """A tabular inline's fields named for screen readers: on screen only the column headers name them."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            # An autocomplete is a wrapper around the select that is drawn; both carry the name.
            for widget in filter(None, [field.widget, getattr(field.widget, "widget", None)]):
                widget.attrs.setdefault("aria-label", str(field.label))


class CreditInline(StoryPartInline, admin.TabularInline):
    formset = NamedColumnsFormSet
    model = Credit
    extra = 0
    autocomplete_fields = ["correspondent"]


class PhotoInline(StoryPartInline, admin.StackedInline):
    model = Photo
    extra = 0
    formfield_overrides = {
        # The admin's file widget sits under a legend; the input itself needs a name too.
        models.ImageField: {
            "form_class": images.PhotoUploadField,
            "widget": AdminFileWidget(attrs={"aria-label": "原图"}),
        }
    }
    autocomplete_fields = ["photographer"]
    fields = ["image", "caption", "alt", "photographer", "photographer_title", "position"]


class RecordInline(admin.TabularInline):
    """A record shown on its parent's page, never added to or changed there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(RecordInline):
    model = Transition
    verbose_name_plural = "流程记录（不可修改）"
    fields = ["created_at", "actor", "action_label", "from_status", "to_status", "comment"]
    readonly_fields = fields

    @admin.display(description="操作")
    def action_label(self, step):
        try:
            return Action(step.action).label
        except ValueError:
            return step.action


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STORY_STATES

    def queryset(self, request, queryset):
        return queryset.in_state(self.value())


class RegionFilter(admin.SimpleListFilter):
    title = "地区（含下辖县区）"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.slug, region.name) for region in Region.objects.prefectures()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.filter(slug=self.value()).first()
        return queryset.in_region(region) if region else queryset.none()


class CorrespondentFilter(admin.SimpleListFilter):
    title = "作者"
    parameter_name = "correspondent"

    def lookups(self, request, model_admin):
        return [(person.pk, person.name) for person in Correspondent.objects.filter(active=True)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        person = Correspondent.objects.filter(pk=self.value()).first() if self.value().isdigit() else None
        return queryset.by_correspondent(person) if person else queryset.none()


def bulk_transition(action):
    """An admin bulk action that moves each selected story through the workflow service."""

    def run(modeladmin, request, queryset):
        done, refused = 0, []
        for story in queryset:
            try:
                transition(story, action, actor=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(_message(error))
        if done:
            modeladmin.message_user(request, f"{action.label}：{done} 篇完成。", messages.SUCCESS)
        for reason in refused:
            modeladmin.message_user(request, reason, messages.ERROR)

    run.__name__ = f"bulk_{action.value}"
    run.short_description = f"{action.label}所选稿件"
    run.allowed_permissions = (RULES[action].permission.split(".")[1].removesuffix("_story"),)
    return run


def _message(error):
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "您没有权限执行这个操作。"


@admin.register(Story)
class StoryAdmin(ImportMixin, admin.ModelAdmin):
    form = StoryForm
    resource_classes = [BulletinTableResource]
    import_formats = [base_formats.CSV, base_formats.XLSX, base_formats.JSON]
    list_display = ["headline", "kind", "state", "bureau", "region", "issue", "page", "updated_at"]
    list_filter = [StateFilter, "kind", "bureau", RegionFilter, "issue", CorrespondentFilter]
    search_fields = ["headline", "kicker", "search_text"]
    list_select_related = ["bureau__region", "region", "issue"]
    autocomplete_fields = ["bureau", "region", "issue"]
    readonly_fields = ["state", "published_at", "correction", "corrected_at", "withdrawn_reason", "created_by"]
    inlines = [CreditInline, PhotoInline, TransitionInline]
    actions = [bulk_transition(Action.SUBMIT), bulk_transition(Action.APPROVE), bulk_transition(Action.PUBLISH)]
    PLACEMENT_FIELDS = ("issue", "page", "position", "continued_from_page", "continued_on_page")
    fieldsets = [
        (None, {"fields": ["kind", "kicker", "headline", "subheadline", "bureau", "region", "event_date", "body"]}),
        ("版面", {"fields": list(PLACEMENT_FIELDS)}),
        (
            "状态",
            {"fields": ["state", "published_at", "correction", "corrected_at", "withdrawn_reason", "created_by"]},
        ),
        ("其他", {"fields": ["reference", "opened_version"], "classes": ["collapse"]}),
    ]

    @admin.display(description="状态")
    def state(self, story):
        if story.is_scheduled:
            return f"已排期（{timezone.localtime(story.published_at):%m-%d %H:%M}）"
        return story.get_status_display()

    # Who sees and changes what: the rules live in the querysets and the services.
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return story_service.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_import_permission(self, request):
        return request.user.has_perm("newsroom.import_bulletin")

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        limit = imports.max_file_bytes()
        if upload is not None and upload.size > limit:
            self.message_user(
                request, f"文件“{upload.name}”有 {upload.size} 字节，超过上限 {limit} 字节。", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:newsroom_story_import"))
        return super().import_action(request, **kwargs)

    def has_submit_permission(self, request):
        return request.user.has_perm("newsroom.submit_story")

    def has_review_permission(self, request):
        return request.user.has_perm("newsroom.review_story")

    def has_publish_permission(self, request):
        return request.user.has_perm("newsroom.publish_story")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("newsroom.review_story"):
            # Placing a story on a page is the desk's decision.
            fields += self.PLACEMENT_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(name, options) for name, options in fieldsets if name != "状态"]
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One version per save, holding the story with its credits and photos as saved.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("在后台修改" if object_id else "在后台新建")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        story_service.save_story(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Photo:
            return super().save_formset(request, form, formset, change)
        # Photos go through the photo service: renditions made, a removed photo's files deleted.
        photos = formset.save(commit=False)
        for photo in formset.deleted_objects:
            photo_services.delete_photo(photo)
        for photo in photos:
            photo.save()
            photo_services.ensure_renditions(photo)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Take the story into this save's version again, now with its credits and photos as saved.
        reversion.add_to_revision(form.instance)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                workflow_actions=[(action, RULES[action]) for action in allowed_actions(obj, request.user)],
                versions_url=reverse("admin:newsroom_story_versions", args=[obj.pk]),
                preview_url=reverse("admin:newsroom_story_preview", args=[obj.pk]),
                transition_url=reverse("admin:newsroom_story_transition", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/transition/", view(self.transition_view), name="newsroom_story_transition"),
            path("<int:pk>/preview/", view(self.preview_view), name="newsroom_story_preview"),
            path("<int:pk>/versions/", view(self.versions_view), name="newsroom_story_versions"),
            path("<int:pk>/versions/compare/", view(self.compare_view), name="newsroom_story_compare"),
            path(
                "<int:pk>/versions/<int:version_id>/preview/",
                view(self.preview_view),
                name="newsroom_story_version_preview",
            ),
            path(
                "<int:pk>/versions/<int:version_id>/restore/",
                view(self.restore_view),
                name="newsroom_story_restore",
            ),
            *super().get_urls(),
        ]

    def visible_story(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def story_version(self, story, version_id):
        return get_object_or_404(revisions.versions_of(story), pk=version_id)

    def transition_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.visible_story(request, pk)
        change_url = reverse("admin:newsroom_story_change", args=[story.pk])
        try:
            action = Action(request.POST.get("action", ""))
        except ValueError:
            self.message_user(request, "未知的操作。", messages.ERROR)
            return HttpResponseRedirect(change_url)
        when = None
        if action == Action.SCHEDULE:
            when = _parse_local_datetime(request.POST.get("when", ""))
            if when is None:
                self.message_user(request, "请填写定时发布的日期和时间，如 2026-11-27 06:00。", messages.ERROR)
                return HttpResponseRedirect(change_url)
        try:
            transition(story, action, actor=request.user, comment=request.POST.get("comment", ""), when=when)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, _message(error), messages.ERROR)
        else:
            self.message_user(request, f"已{action.label}：{story.headline}", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def preview_view(self, request, pk, version_id=None):
        story = self.visible_story(request, pk)
        label = f"当前稿（{story.get_status_display()}）"
        if version_id is not None:
            version = self.story_version(story, version_id)
            story = _story_from_version(story, version)
            label = f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M:%S} 的版本"
        context = {"story": story, "preview": label, "related": [], "page": None}
        response = TemplateResponse(request, "newsroom/story_detail.html", context)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex"
        return response

    def versions_view(self, request, pk):
        story = self.visible_story(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"版本：{story.headline}",
            "story": story,
            "versions": revisions.versions_of(story),
            "may_restore": story_service.can_edit(request.user, story),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsroom/story/versions.html", context)

    def compare_view(self, request, pk):
        story = self.visible_story(request, pk)
        try:
            older = self.story_version(story, int(request.GET.get("a", "")))
            newer = self.story_version(story, int(request.GET.get("b", "")))
        except ValueError:
            raise Http404("请选择两个版本。") from None
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "title": f"比较版本：{story.headline}",
            "story": story,
            "older": older,
            "newer": newer,
            "rows": revisions.compare(older, newer),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsroom/story/compare.html", context)

    def restore_view(self, request, pk, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.visible_story(request, pk)
        version = self.story_version(story, version_id)
        try:
            story_service.restore_version(story, version, actor=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, _message(error), messages.ERROR)
        else:
            self.message_user(request, "已恢复该版本，恢复本身记为一个新版本。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsroom_story_versions", args=[story.pk]))


def _parse_local_datetime(value):
    value = value.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(value, pattern))
        except ValueError:
            continue
    return None


def _story_from_version(story, version):
    """An unsaved copy of ``story`` as it was in ``version``, for preview only."""
    snap = revisions.snapshot(version)
    copy = Story(pk=story.pk, status=story.status, published_at=story.published_at, correction=story.correction)
    copy.corrected_at = story.corrected_at
    for name, value in snap.fields.items():
        if name in ("bureau", "region", "issue"):
            setattr(copy, f"{name}_id", value)
        else:
            setattr(copy, name, value)
    # Templates read a version's credits and photos as a story's.
    copy._prefetched_objects_cache = {"credits": Prefetched(snap.credits), "photos": Prefetched(snap.photos)}
    return copy


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
        try:
            imports.undo_batch(batch, actor=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, _message(error), messages.ERROR)
        else:
            self.message_user(request, f"{batch} 已撤销。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsroom_importbatch_change", args=[batch.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.state == ImportBatch.State.APPLIED:
            context["undo_url"] = reverse("admin:newsroom_importbatch_undo", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)
