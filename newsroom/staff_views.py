"""Pages for the newsroom only, outside the admin: the originals of photos.

Originals keep everything the camera wrote (time, place, device), so they are
served here, to staff who may see the story, and never from a public address.
They are what someone sent, so they are served as a download of the image type
their bytes show, never as something a browser would run or render in place.
"""

from pathlib import PurePosixPath

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from . import images
from .models import Photo, Story

# A browser that opens the file anyway runs nothing and loads nothing with it.
ORIGINAL_CSP = "sandbox; default-src 'none'"


def may_see_original(user, photo):
    """Staff who may see the story see its photos' originals: editors all but others' drafts, others their own."""
    if not user.has_perm("newsroom.view_photo"):
        return False
    return Story.objects.visible_to(user).filter(pk=photo.story_id).exists()


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
    image_format = images.stored_format(original.read(16))
    original.seek(0)
    stem = PurePosixPath(photo.image.name).stem
    if image_format is None:
        content_type, filename = "application/octet-stream", f"{stem}.bin"
    else:
        content_type = images.ORIGINAL_CONTENT_TYPES[image_format]
        filename = f"{stem}.{images.EXTENSIONS[image_format]}"
    response = FileResponse(original, as_attachment=True, filename=filename, content_type=content_type)
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ORIGINAL_CSP
    return response
