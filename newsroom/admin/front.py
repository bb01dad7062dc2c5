"""头版编排 and 专题: what leads the front page, and the topics stories are grouped in.

Both are shells over their services (``services.front``, ``services.topics``), which check who
may do what and move readers' pages on.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone

from newsroom.models import FrontPlacement, Topic
from newsroom.services import front as front_service
from newsroom.services import topics as topic_service


class FrontPlacementForm(forms.ModelForm):
    class Meta:
        model = FrontPlacement
        fields = ["story", "slot", "position", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        story = cleaned.get("story")
        if story is not None:
            front_service.check_story(story)
        return cleaned

    # A new lead replaces the one before, and a story placed again moves: the service does both,
    # so the form does not refuse them as duplicates.
    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


@admin.register(FrontPlacement)
class FrontPlacementAdmin(admin.ModelAdmin):
    """头版编排: the pinned lead and the top stories in their order. For those who may publish."""

    form = FrontPlacementForm
    list_display = ["headline", "slot", "position", "expires_at", "showing"]
    list_display_links = ["headline"]
    autocomplete_fields = ["story"]
    list_select_related = ["story"]

    @admin.display(description="稿件")
    def headline(self, placement):
        return placement.story.headline

    @admin.display(description="正在显示")
    def showing(self, placement):
        current = placement.story.is_public and (placement.expires_at is None or placement.expires_at > timezone.now())
        return "是" if current else "否（已撤稿或已过期）"

    def has_module_permission(self, request):
        return front_service.can_arrange(request.user)

    def has_view_permission(self, request, obj=None):
        return front_service.can_arrange(request.user)

    def has_add_permission(self, request):
        return front_service.can_arrange(request.user)

    def has_change_permission(self, request, obj=None):
        return front_service.can_arrange(request.user)

    def has_delete_permission(self, request, obj=None):
        return front_service.can_arrange(request.user)

    def save_model(self, request, obj, form, change):
        if change and "story" in form.changed_data:
            front_service.remove(FrontPlacement.objects.get(pk=obj.pk), actor=request.user)
        placed = front_service.place(
            obj.story, slot=obj.slot, actor=request.user, position=obj.position, expires_at=obj.expires_at
        )
        obj.pk = placed.pk

    def delete_model(self, request, obj):
        front_service.remove(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for placement in queryset:
            front_service.remove(placement, actor=request.user)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "in_use"]
    search_fields = ["name"]
    fields = ["name", "slug", "description", "position", "active"]

    @admin.display(description="在用", ordering="active")
    def in_use(self, topic):
        return "是" if topic.active else "否"

    def save_model(self, request, obj, form, change):
        topic_service.save_topic(obj, actor=request.user)

    def delete_model(self, request, obj):
        topic_service.delete_topic(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for topic in queryset:
            topic_service.delete_topic(topic, actor=request.user)
