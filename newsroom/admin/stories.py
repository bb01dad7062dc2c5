"""Stories: the form with its credits and photos, the list and its filters, the workflow's buttons."""

import datetime
import json
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from newsroom import body as story_body
from newsroom import images, pasting
from newsroom.filters import words_of_two_characters
from newsroom.models import (
    Credit,
    Page,
    PageImage,
    Photo,
    Story,
    Topic,
    Transition,
    Zone,
)
from newsroom.services import front as front_service
from newsroom.services import pages as page_services
from newsroom.services import photos as photo_services
from newsroom.services import stories as story_service
from newsroom.services import topics as topic_service
from newsroom.services.workflow import RULES, Action, allowed_actions, transition
from newsroom.widgets import BodyEditor

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
        widget=BodyEditor,
        help_text=(
            "每段一行，段与段之间可空一行；小标题以“## ”开头，引文以“> ”开头；"
            "“[图2]”单占一行，把本稿的第2张图片放在这里；表格每行以“|”开头，各格用“|”隔开"
            "（如“| 姓名 | 界别 |”），第一行下面加一行“|---|---|”即为表头，表格上一行写“表：表题”即为表题。"
            "保存时自动整理：从文档或网页粘贴时断开的行接回一段，多余的空格去掉，中文里的半角标点改为全角。"
        ),
    )
    # Saved through the topics service (``StoryAdmin.save_related``), by those who may file stories in topics.
    topics = forms.ModelMultipleChoiceField(
        label="专题",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="稿件发布后出现在所选专题的页面和订阅中。",
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
            if "topics" in self.fields:
                self.initial["topics"] = list(self.instance.topics.values_list("pk", flat=True))
        editor = self.fields["body"].widget
        editor.count = story_body.character_count(self.instance.body)
        if self.instance.pk:
            editor.photos = [
                (number, photo.caption) for number, photo in enumerate(self.instance.photos.all(), start=1)
            ]
            editor.preview_url = reverse("admin:newsroom_story_body_preview", args=[self.instance.pk])
        else:
            editor.preview_url = reverse("admin:newsroom_story_new_body_preview")

    def clean_body(self):
        """The typed text in the paper's style (``pasting``), read as blocks; a photo the story lacks is refused."""
        body = story_body.from_editable(pasting.clean_pasted(self.cleaned_data["body"]))
        story_body.validate(body)
        photos = self.photo_count()
        for number, block in enumerate(body, start=1):
            if block["kind"] == story_body.PHOTO and block["photo"] > photos:
                having = f"只有{photos}张图片" if photos else "还没有图片"
                raise ValidationError(f"正文第{number}块放的是图{block['photo']}，本稿{having}。")
        return body

    def photo_count(self):
        """The story's photos as this save leaves them: the photo forms sent, less those marked for deletion."""
        total = self.data.get("photos-TOTAL_FORMS")
        if total is None or not total.isdigit():
            return self.instance.photos.count() if self.instance.pk else 0
        deleted = sum(1 for index in range(int(total)) if self.data.get(f"photos-{index}-DELETE"))
        return int(total) - deleted

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


class ZoneForm(forms.ModelForm):
    """A zone's rectangle as fractions of its page: each between 0 and 1, said in Chinese where it is wrong."""

    class Meta:
        model = Zone
        fields = ["page", "x", "y", "w", "h", "position"]
        help_texts = {"x": "版面宽度的比例，0 到 1，从左边量起", "y": "版面高度的比例，0 到 1，从上边量起"}

    def __init__(self, *args, story=None, **kwargs):
        super().__init__(*args, **kwargs)
        pages = (
            Page.objects.filter(issue=story.issue_id) if story is not None and story.issue_id else Page.objects.none()
        )
        self.fields["page"].queryset = pages
        # The page's picture for the zone editor (static/js/zone-editor.js): where JavaScript runs, the box is dragged.
        pictures = PageImage.objects.filter(page__in=pages, format=PageImage.Format.JPEG, width=1200).select_related(
            "page"
        )
        page_widget = self.fields["page"].widget
        # The admin wraps a foreign key's select (add and change links); the attribute goes on the select itself.
        getattr(page_widget, "widget", page_widget).attrs["data-page-images"] = json.dumps(
            {str(picture.page_id): picture.url for picture in pictures if picture.source == picture.page.pdf_sha256}
        )
        for name in page_services.ZONE_FIELDS:
            self.fields[name].widget.attrs.update({"step": "0.0001", "min": "0", "max": "1", "class": f"zone-{name}"})

    def _fraction(self, name, positive=False):
        value = self.cleaned_data.get(name)
        label = Zone._meta.get_field(name).verbose_name
        if value is None:
            return value
        if not 0 <= value <= 1:
            raise ValidationError(f"“{label}”应在 0 到 1 之间（占版面的比例），这里是 {value:g}。")
        if positive and value == 0:
            raise ValidationError(f"“{label}”不能为 0：区域要有大小。")
        return value

    def clean_x(self):
        return self._fraction("x")

    def clean_y(self):
        return self._fraction("y")

    def clean_w(self):
        return self._fraction("w", positive=True)

    def clean_h(self):
        return self._fraction("h", positive=True)


class ZoneFormSet(NamedColumnsFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "story": self.instance}


class ZoneInline(StoryPartInline, admin.TabularInline):
    """Where the story stands on its printed pages; corrected here when the reading of a PDF was wrong."""

    model = Zone
    form = ZoneForm
    formset = ZoneFormSet
    extra = 0
    verbose_name_plural = "版面区域（占版面宽、高的比例，原点在左上角）"

    class Media:
        js = ["js/zone-editor.js"]
        css = {"all": ["css/admin-zones.css"]}


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


class StoryActionForm(helpers.ActionForm):
    """The list's action bar, with the topic that 归入专题 and 移出专题 act on."""

    topic = forms.ModelChoiceField(
        label="专题", queryset=Topic.objects.all(), required=False, empty_label="（选择专题）"
    )


def chosen_topic(modeladmin, request):
    """The topic chosen beside the action, or None with a message saying to choose one."""
    value = request.POST.get("topic", "")
    topic = Topic.objects.filter(pk=value).first() if value.isdigit() else None
    if topic is None:
        modeladmin.message_user(request, "请先在“专题”框中选定一个专题，再执行这个操作。", messages.ERROR)
    return topic


@admin.action(description="把所选稿件归入专题", permissions=["review"])
def add_to_topic(modeladmin, request, queryset):
    topic = chosen_topic(modeladmin, request)
    if topic is not None:
        added = topic_service.add_to_topic(queryset, topic, actor=request.user)
        modeladmin.message_user(request, f"已把 {added} 篇稿件归入专题“{topic.name}”。", messages.SUCCESS)


@admin.action(description="把所选稿件移出专题", permissions=["review"])
def remove_from_topic(modeladmin, request, queryset):
    topic = chosen_topic(modeladmin, request)
    if topic is not None:
        removed = topic_service.remove_from_topic(queryset, topic, actor=request.user)
        modeladmin.message_user(request, f"已把 {removed} 篇稿件移出专题“{topic.name}”。", messages.SUCCESS)


@admin.action(description="设为头版头条", permissions=["publish"])
def pin_lead(modeladmin, request, queryset):
    stories = list(queryset[:2])
    if len(stories) != 1:
        modeladmin.message_user(request, "头条只有一篇：请只选一篇稿件。", messages.ERROR)
        return
    try:
        front_service.pin_lead(stories[0], actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        modeladmin.message_user(request, error_message(error), messages.ERROR)
    else:
        modeladmin.message_user(request, f"头条已换成“{stories[0].headline}”。", messages.SUCCESS)


@admin.action(description="加入头版要闻", permissions=["publish"])
def add_top_stories(modeladmin, request, queryset):
    done = 0
    for story in queryset.order_by("page", "position", "pk"):
        try:
            front_service.add_top_story(story, actor=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as error:
            modeladmin.message_user(request, error_message(error), messages.ERROR)
    if done:
        modeladmin.message_user(
            request, f"已把 {done} 篇稿件加入要闻，排在最后；顺序可在“头版编排”中调整。", messages.SUCCESS
        )


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
    inlines = [CreditInline, PhotoInline, ZoneInline, TransitionInline]
    actions = [
        bulk_transition(Action.SUBMIT),
        bulk_transition(Action.APPROVE),
        bulk_transition(Action.PUBLISH),
        add_to_topic,
        remove_from_topic,
        pin_lead,
        add_top_stories,
    ]
    action_form = StoryActionForm
    PLACEMENT_FIELDS = ("issue", "page", "position", "continued_from_page", "continued_on_page")
    fieldsets = [
        (None, {"fields": ["kind", "kicker", "headline", "subheadline", "bureau", "region", "event_date", "body"]}),
        ("版面", {"fields": [*PLACEMENT_FIELDS, "topics"]}),
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
        # A story still to be written has no record yet, nor a place on a printed page.
        if obj is not None:
            return self.inlines
        return [inline for inline in self.inlines if inline not in (TransitionInline, ZoneInline)]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("newsroom.review_story"):
            # Placing a story on a page, and in a topic, is the desk's decision.
            fields += [*self.PLACEMENT_FIELDS, "topic_names"]
        return fields

    def files_topics(self, request, obj):
        """May this person choose the topics of ``obj`` (a new story for None) on its form?"""
        return topic_service.can_file(request.user) and (obj is None or self.has_change_permission(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.files_topics(request, obj):
            form.base_fields = {name: field for name, field in form.base_fields.items() if name != "topics"}
        return form

    @admin.display(description="专题")
    def topic_names(self, story):
        return "、".join(topic.name for topic in story.topics.all()) if story.pk else ""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.files_topics(request, obj):
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": ["topic_names" if field == "topics" else field for field in options["fields"]],
                    },
                )
                for name, options in fieldsets
            ]
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
        if formset.model is Zone:
            # The pages service checks who may move a story's zones, and tells readers' pages.
            zones = formset.save(commit=False)
            for zone in formset.deleted_objects:
                page_services.delete_zone(zone, actor=request.user)
            for zone in zones:
                page_services.save_zone(zone, actor=request.user)
            return None
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
        if "topics" in form.fields:
            topic_service.set_topics(form.instance, form.cleaned_data["topics"], actor=request.user)
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
            path("<int:pk>/body-preview/", view(self.body_preview_view), name="newsroom_story_body_preview"),
            path("body-preview/", view(self.body_preview_view), name="newsroom_story_new_body_preview"),
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

    def body_preview_view(self, request, pk=None):
        """The typed body as readers will see it, through the story page's own template; for whoever may edit it.

        A fragment for the editor's preview box. The story's dateline, byline and photos are the saved ones.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if pk is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            story = None
        else:
            story = self.visible_story(request, pk)
            if not story_service.can_edit(request.user, story):
                raise PermissionDenied
        body = story_body.from_editable(pasting.clean_pasted(request.POST.get("body", "")))
        try:
            story_body.validate(body)
        except ValidationError as error:
            return TemplateResponse(request, "admin/newsroom/story/body_problem.html", {"problems": error.messages})
        if story is None:
            # A story still to be written has no dateline, credits or photos yet.
            story, photos = SimpleNamespace(blocks=story_body.blocks(body), dateline="", trailing_byline=""), []
        else:
            story.body, photos = body, list(story.photos.all())
        html = render_to_string(
            "newsroom/includes/body.html", {"story": story, "photos": photos}, request, using="jinja2"
        )
        han, other = story_body.character_count(body)
        missing = sorted(number for number in story_body.placed_photos(body) if number > len(photos))
        context = {"body": mark_safe(html), "han": han, "other": other, "missing": missing}
        response = TemplateResponse(request, "admin/newsroom/story/body_preview.html", context)
        add_never_cache_headers(response)
        return response
