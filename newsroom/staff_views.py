"""Pages for the newsroom only, outside the admin: the originals of photos.

Originals keep everything the camera wrote (time, place, device), so they are
served here, to staff who may see the story, and never from a public address.
They are what someone sent, so they are served as a download of the image type
their bytes show, never as something a browser would run or render in place.

Where ``ORIGINALS_ORIGIN`` names a host of their own, the site's host checks who asks and
sends them on, by a link signed for that person and that file and valid for
``ORIGINALS_LINK_SECONDS``; the originals' host serves the file on that link alone, with
no session, after checking again that the person may still see the story.
"""

from pathlib import PurePosixPath
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
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


LINK_SALT = "newsroom.photo_original"


def signed_link(user, name):
    """The address of the original ``name`` on the originals' own host, for ``user`` only, for a while."""
    token = signing.dumps({"user": user.pk, "name": name}, salt=LINK_SALT, compress=True)
    return f"{settings.ORIGINALS_ORIGIN}{images.ORIGINALS_URL}{name}?{urlencode({'link': token})}"


def photo_original(request, name):
    if settings.ORIGINALS_ORIGIN and request.get_host() == urlsplit(settings.ORIGINALS_ORIGIN).netloc:
        return _original_by_link(request, name)
    return _original_for_staff(request, name)


@staff_member_required
def _original_for_staff(request, name):
    photo = _photo(name)
    if not may_see_original(request.user, photo):
        raise PermissionDenied
    if settings.ORIGINALS_ORIGIN:
        response = HttpResponseRedirect(signed_link(request.user, photo.image.name))
        response["Cache-Control"] = "private, no-store"
        return response
    return _serve(photo)


def _original_by_link(request, name):
    try:
        link = signing.loads(request.GET.get("link", ""), salt=LINK_SALT, max_age=settings.ORIGINALS_LINK_SECONDS)
    except signing.SignatureExpired as error:
        raise PermissionDenied("原图链接已过期，请回到编辑后台重新打开。") from error
    except signing.BadSignature as error:
        raise PermissionDenied("原图链接无效。") from error
    if link.get("name") != name:
        raise PermissionDenied("原图链接与文件不符。")
    user = get_user_model().objects.filter(pk=link.get("user"), is_active=True, is_staff=True).first()
    photo = _photo(name)
    if user is None or not may_see_original(user, photo):
        raise PermissionDenied
    return _serve(photo)


def _photo(name):
    # Only a name that belongs to a photo is served: the view is no window onto the whole storage.
    return get_object_or_404(Photo.objects.select_related("story"), image=name)


def _serve(photo):
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
