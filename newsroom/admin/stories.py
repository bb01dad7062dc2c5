"""Stories: the form with its credits and photos, the list and its filters, the workflow's buttons."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import linebreaks

from newsroom import body as story_body
from newsroom import images
from newsroom.filters import words_of_two_characters
from newsroom.models import Credit, Photo, Story, Transition
from newsroom.services import photos as photo_services
from newsroom.services import stories as story_service
from newsroom.services.workflow import RULES, Action, allowed_actions, transition

from .common import RecordInline, error_message
from .lists import (
    BureauFilter,
    CorrespondentFilter,
    IssueFilter,
    QuickCheckboxes,
    RegionFilter,
    StateFilter,
    StoryChangeList,
    StoryPaginator,
    list_key,
)
from .versions import VersionViews


class StoryForm(forms.ModelForm):
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text="每段一行；小标题单占一行，以“## ”开头。",
    )
    # The version of the story this form was opened on: a save over a newer one is refused.
    opened_version = forms.CharField(label="打开时的版本", widget=forms.HiddenInput, required=False)

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
            if field.label is None or field.widget.is_hidden:
                continue
            # An autocomplete is a wrapper around the select that is drawn; both carry the name.
            for widget in filter(None, [field.widget, getattr(field.widget, "widget", None)]):
                widget.attrs.setdefault("aria-label", str(field.label))


class CreditForm(forms.ModelForm):
    class Meta:
        model = Credit
        fields = ["correspondent", "title", "contribution", "position"]
        help_texts = {"title": "见报时的身份，如“通讯员”“本报记者”。新加的署名留空则取作者现在的身份。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, the stories service takes its default (a text credit).
        self.fields["contribution"].required = False

    def validate_constraints(self):
        # The stories service writes the credits as a whole and tells a person credited twice
        # (``check_repeats``); the rows stored now are the ones being replaced.
        pass


class CreditFormSet(NamedColumnsFormSet):
    """The credits as the stories service checks and writes them: its defaults, its rules, its messages."""

    def clean(self):
        super().clean()
        self.credits = []
        if any(self.errors):
            return
        kept = []
        for index, form in enumerate(self.forms):
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            # A new credit left without a title takes the person's; a saved one keeps what the desk typed.
            title = data["title"] if data["title"] or form.instance.pk else None
            credit = story_service.CreditInput(data["correspondent"], data["contribution"], title)
            kept.append((data["position"], index, form, credit))
        kept.sort(key=lambda item: (item[0], item[1]))
        rows = []
        for position, (_, _, form, credit) in enumerate(kept):
            try:
                rows.append(story_service.credit_row(self.instance, credit, position))
            except ValidationError as error:
                form.add_error(None, error)
        if len(rows) == len(kept):
            story_service.check_repeats(rows)
        self.credits = [(form, credit) for _, _, form, credit in kept]

    def validate_unique(self):
        # Repeats are the stories service's to find, in clean().
        pass

    def save(self, commit=True):
        """Write the credits through the stories service, if any changed; note what changed for the history."""
        self.new_objects, self.changed_objects = [], []
        self.deleted_objects = [form.instance for form in self.deleted_forms if form.instance.pk]
        if not self.has_changed():
            return []
        rows = story_service.set_credits(self.instance, [credit for _, credit in self.credits])
        for (form, _), row in zip(self.credits, rows, strict=True):
            if form.instance.pk is None:
                self.new_objects.append(row)
            elif form.has_changed():
                self.changed_objects.append((row, form.changed_data))
        return rows


class CreditInline(StoryPartInline, admin.TabularInline):
    form = CreditForm
    formset = CreditFormSet
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


class TransitionInline(RecordInline):
    model = Transition
    verbose_name_plural = "流程记录（不可修改）"
    fields = ["created_at", "actor", "action_label", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever may open a story (the story admin decides) reads its record: an author sees who sent it back, and why.
        return True

    @admin.display(description="操作")
    def action_label(self, step):
        try:
            return Action(step.action).label
        except ValueError:
            return step.action


def bulk_transition(action):
    """An admin bulk action that moves each selected story through the workflow service."""

    def run(modeladmin, request, queryset):
        done, refused = 0, []
        for story in queryset:
            try:
                transition(story, action, actor=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(error_message(error))
        if done:
            modeladmin.message_user(request, f"{action.label}：{done} 篇完成。", messages.SUCCESS)
        for reason in refused:
            modeladmin.message_user(request, reason, messages.ERROR)

    run.__name__ = f"bulk_{action.value}"
    run.short_description = f"{action.label}所选稿件"
    run.allowed_permissions = (RULES[action].permission.split(".")[1].removesuffix("_story"),)
    return run


def parse_local_datetime(value):
    value = value.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(value, pattern))
        except ValueError:
            continue
    return None


@admin.register(Story)
class StoryAdmin(QuickCheckboxes, VersionViews, admin.ModelAdmin):
    form = StoryForm
    # Few and short columns beside the headline, so that at a laptop's width it still reads in lines
    # (static/css/admin-stories.css gives it the room).
    list_display = ["headline", "kind", "state", "place", "placement", "updated"]
    # Each filter's choices without reading the stories (newsroom/admin/lists.py); no facet counts.
    list_filter = [StateFilter, "kind", BureauFilter, RegionFilter, IssueFilter, CorrespondentFilter]
    show_facets = admin.ShowFacets.NEVER
    # The readers' search: every word, anywhere in the story's text or its people's names (get_search_results).
    search_fields = ["search_text"]
    search_help_text = "标题、正文和作者姓名中的词，每个词至少两个字；几个词用空格隔开，表示都要有。"
    # Places come from the region map (StoryChangeList), the issue's number by a join.
    list_select_related = ["issue"]
    list_per_page = 50
    show_full_result_count = False
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

    @admin.display(description="电头/地区", ordering="bureau")
    def place(self, story):
        if story.bureau_id:
            return story.bureau.dateline
        return story.region.name if story.region_id else None

    @admin.display(description="期/版", ordering="issue__number")
    def placement(self, story):
        if not story.issue_id:
            return None
        return f"{story.issue.number}期 {story.page}版" if story.page else f"{story.issue.number}期"

    @admin.display(description="修改时间", ordering="updated_at")
    def updated(self, story):
        return f"{timezone.localtime(story.updated_at):%Y-%m-%d %H:%M}"

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if queryset.model is not Story:
            # A story's history lists its log entries.
            return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        return StoryPaginator(queryset, per_page, orphans, allow_empty_first_page, count_key=list_key(request, self))

    def get_search_results(self, request, queryset, search_term):
        """The readers' search (``StoryQuerySet.search``), its indexes and its answers, among the stories shown."""
        try:
            words_of_two_characters(search_term)
        except ValidationError as error:
            self.message_user(request, error_message(error), messages.WARNING)
            return queryset.none(), False
        return queryset.search(search_term), False

    # Who sees and changes what: the rules live in the querysets and the services.
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return story_service.can_edit(request.user, obj)

    def view_on_site(self, story):
        """The readers' page of a public story; the staff preview of any other, which readers cannot open."""
        if story.is_public:
            return story.get_absolute_url()
        return reverse("admin:newsroom_story_preview", args=[story.pk])

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_submit_permission(self, request):
        return request.user.has_perm("newsroom.submit_story")

    def has_review_permission(self, request):
        return request.user.has_perm("newsroom.review_story")

    def has_publish_permission(self, request):
        return request.user.has_perm("newsroom.publish_story")

    def get_inlines(self, request, obj):
        # A story still to be written has no record yet.
        return (
            self.inlines if obj is not None else [inline for inline in self.inlines if inline is not TransitionInline]
        )

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
        if not self.has_change_permission(request, obj):
            # Read only: the body as it is typed, and no opened version to check a save against.
            read_only = {"body": "body_text"}
            return [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            read_only.get(field, field) for field in options["fields"] if field != "opened_version"
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description="正文")
    def body_text(self, story):
        # Read only, the body shows as it is typed in the form, not as the structure it is stored as.
        return linebreaks(story_body.to_editable(story.body))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One version per save, holding the story with its credits and photos as saved.
        with story_service.one_version(actor=request.user, comment="在后台修改" if object_id else "在后台新建"):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        story_service.save_story(obj, actor=request.user)

    def delete_model(self, request, obj):
        story_service.delete_story(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for story in queryset:
                story_service.delete_story(story, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Photo:
            return super().save_formset(request, form, formset, change)
        # The formset only reads the photos from the form; the photo service writes them and their files.
        photos = formset.save(commit=False)
        uploads = {
            id(photo_form.instance): photo_form.cleaned_data["image"]
            for photo_form in formset.forms
            if "image" in photo_form.changed_data and photo_form.cleaned_data.get("image")
        }
        for photo in formset.deleted_objects:
            photo_services.delete_photo(photo)
        for photo in photos:
            if photo.pk is None and not photo.photographer_title:
                # A new photo left without the photographer's title takes their present one.
                photo.photographer_title = None
            photo_services.save_photo(photo, upload=uploads.get(id(photo)))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story_service.keep_in_version(form.instance)

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
            *self.version_urls(),
            *super().get_urls(),
        ]

    def visible_story(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

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
            when = parse_local_datetime(request.POST.get("when", ""))
            if when is None:
                self.message_user(request, "请填写定时发布的日期和时间，如 2026-11-27 06:00。", messages.ERROR)
                return HttpResponseRedirect(change_url)
        try:
            transition(story, action, actor=request.user, comment=request.POST.get("comment", ""), when=when)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_message(error), messages.ERROR)
        else:
            self.message_user(request, f"已{action.label}：{story.headline}", messages.SUCCESS)
            if not self.get_queryset(request).filter(pk=story.pk).exists():
                # Sent back, a story is its author's draft again: no longer this user's to open.
                return HttpResponseRedirect(reverse("admin:index"))
        return HttpResponseRedirect(change_url)
