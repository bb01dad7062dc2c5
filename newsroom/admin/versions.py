"""A story's versions: the list, two compared, any previewed as the public page, one restored."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from newsroom import revisions
from newsroom.models import Story
from newsroom.services import stories as story_service
from newsroom.speed.rows import set_prefetched

from .common import error_message


def story_from_version(story, version):
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
    set_prefetched(copy, "credits", snap.credits)
    set_prefetched(copy, "photos", snap.photos)
    return copy


class VersionViews:
    """The story admin's pages for versions; ``visible_story`` finds a story the user may see."""

    def version_urls(self):
        view = self.admin_site.admin_view
        return [
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
        ]

    def story_version(self, story, version_id):
        return get_object_or_404(revisions.versions_of(story), pk=version_id)

    def preview_view(self, request, pk, version_id=None):
        story = self.visible_story(request, pk)
        label = f"当前稿（{story.get_status_display()}）"
        if version_id is not None:
            version = self.story_version(story, version_id)
            story = story_from_version(story, version)
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
            self.message_user(request, error_message(error), messages.ERROR)
        else:
            self.message_user(request, "已恢复该版本，恢复本身记为一个新版本。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsroom_story_versions", args=[story.pk]))
