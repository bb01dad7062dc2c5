"""Pages for the newsroom only, outside the admin: the originals of photos.

Originals keep everything the camera wrote (time, place, device), so they are
served here, to staff who may see the story, and never from a public address.
"""

from pathlib import PurePosixPath

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from .models import Photo


def may_see_original(user, photo):
    """Editors and chief editors see every original; other staff those of their own stories."""
    if not user.has_perm("newsroom.view_photo"):
        return False
    return user.has_perm("newsroom.review_story") or photo.story.created_by_id == user.pk


@staff_member_required
def photo_original(request, name):
    # Only a name that belongs to a photo is served: the view is no window onto the whole storage.
    photo = get_object_or_404(Photo.objects.select_related("story"), image=name)
    if not may_see_original(request.user, photo):
        raise PermissionDenied
    try:
        original = photo.image.storage.open(photo.image.name, "rb")
    except FileNotFoundError as error:
        raise Http404("原图文件不存在。") from error
    response = FileResponse(original, filename=PurePosixPath(photo.image.name).name)
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
