from django import forms
from django.contrib import admin

from . import body as story_body
from .models import Bureau, Correspondent, Credit, Issue, Page, Photo, Region, Story, Transition
from .services.stories import EDITABLE_FIELDS

admin.site.site_header = "编辑部"
admin.site.site_title = "编辑部"
admin.site.index_title = "编辑工作台"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent", "slug"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "slug"]
    list_select_related = ["parent"]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "active"]
    list_filter = ["active"]
    search_fields = ["region__name", "region__short_name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Correspondent)
class CorrespondentAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "unit", "bureau", "active"]
    list_filter = ["title", "active", "bureau"]
    search_fields = ["name", "unit"]
    autocomplete_fields = ["bureau", "user"]
    list_select_related = ["bureau__region"]


class PageInline(admin.TabularInline):
    model = Page
    extra = 0


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["number", "date"]
    date_hierarchy = "date"
    search_fields = ["number"]
    inlines = [PageInline]


class StoryForm(forms.ModelForm):
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text="每段一行；小标题一行，以“## ”开头。",
    )

    class Meta:
        model = Story
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["body"] = story_body.to_editable(self.instance.body)

    def clean_body(self):
        return story_body.from_editable(self.cleaned_data["body"])


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["correspondent"]


class PhotoInline(admin.StackedInline):
    model = Photo
    extra = 0
    autocomplete_fields = ["photographer"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryForm
    list_display = ["headline", "kind", "status", "bureau", "region", "issue", "page", "published_at"]
    list_filter = ["status", "kind", "bureau", "issue"]
    search_fields = ["headline", "kicker", "search_text"]
    list_select_related = ["bureau__region", "region", "issue"]
    autocomplete_fields = ["bureau", "region", "issue"]
    readonly_fields = ["status", "published_at", "correction", "corrected_at", "withdrawn_reason", "created_by"]
    inlines = [CreditInline, PhotoInline, TransitionInline]
    date_hierarchy = "published_at"
