"""Photos in and out: checking uploads, turning them upright, and the copies readers get.

An upload is judged by what Pillow finds in it, never by its name. Readers only
ever get renditions: resized copies made here from pixels alone, so the EXIF of
the camera (time, serial number, GPS position), XMP and comments stay behind in
the original, which is kept in a private storage for the newsroom.

Nothing here writes to the database or to a storage (``newsroom.services.photos``
does): this module reads bytes and makes bytes, and names the private storage
that originals are kept in.
"""

import functools
import io
import os
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from PIL import Image, ImageOps

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# The formats Pillow may even try. Other decoders (GIF, TIFF, EPS …) are never
# run on an upload. MPO is how many cameras write a JPEG with a preview in it.
OPENED_FORMATS = ["JPEG", "PNG", "WEBP"]
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
ORIGINAL_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

# Widths (in pixels) of the renditions each use of a photo needs: small ones
# for lists (twice as wide for sharp screens), larger ones for the story page.
SIZES = {"thumb": (320, 640), "article": (800, 1600)}
# Every width is made in both: browsers that read WebP take it, others the JPEG.
FORMATS = ("webp", "jpeg")
CONTENT_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
RENDITION_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}

# Where the staff-only view of originals answers (see newsroom.staff_views).
ORIGINALS_URL = "/staff/originals/"


def max_bytes():
    return getattr(settings, "PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


@dataclass
class CheckedImage:
    """An upload that passed every check: its bytes as sent, and its pixels, upright."""

    data: bytes
    format: str
    image: Image.Image

    @property
    def extension(self):
        return EXTENSIONS[self.format]

    @property
    def width(self):
        return self.image.width

    @property
    def height(self):
        return self.image.height


def display_name(upload):
    return os.path.basename(getattr(upload, "name", "") or "") or "（无名）"


def open_upload(upload):
    """Check an upload (a Django ``File``) and decode it; raise ``ValidationError`` with a message naming it.

    Refused: anything but JPEG, PNG and WebP; more bytes or pixels than the
    settings allow; decompression bombs; truncated or corrupt files.
    """
    name = display_name(upload)
    data = _read(upload, name)
    image_format = _check_header(data, name)
    return CheckedImage(data=data, format=image_format, image=_decode_upright(data, name))


def stored_format(head):
    """The format of a stored original from its first bytes (JPEG, PNG or WEBP), or None.

    Read from the bytes, not the name: originals stored before names were
    chosen by content may still carry the name they were sent with.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def validate_upload(upload):
    """A validator for forms and model fields: the checks of ``open_upload``.

    A file already stored (a photo saved before) is not read again.
    """
    if getattr(upload, "_committed", False):
        return
    open_upload(upload)


class PhotoUploadField(forms.FileField):
    """The upload field for photo forms (the admin): these checks and messages, in place of Django's own image check.

    Django's ``ImageField`` form field would answer first with a message of its
    own, naming neither the file nor the rule; this one always gives ours.
    """

    default_validators = [validate_upload]


def _read(upload, name):
    """The upload's bytes, refused as soon as they pass the limit (a stream may not know its size)."""
    if upload.size > max_bytes():
        raise _too_large(name, upload.size)
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > max_bytes():
            raise _too_large(name, total)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_header(data, name):
    """The format, once the header is read; the pixel count is checked before any pixel is decoded."""
    try:
        with Image.open(io.BytesIO(data), formats=OPENED_FORMATS) as image:
            image_format, (width, height) = image.format, image.size
    except Image.DecompressionBombError as error:
        # Pillow's own limit, far above ours: a header claiming this is an attack or a mistake.
        raise _too_many_pixels(name) from error
    except Exception as error:
        # Pillow raises many kinds of error on bytes that are not an image it may open.
        raise _not_an_image(name) from error
    if image_format not in EXTENSIONS:
        raise _not_an_image(name)
    # Our limit is below Pillow's (whose warning would only repeat it), so this refuses bombs too.
    if width * height > max_pixels():
        raise _too_many_pixels(name)
    return image_format


def _decode_upright(data, name):
    """All the pixels, upright, or a refusal: ``verify`` checks the file's structure, ``load`` decodes every byte."""
    try:
        with Image.open(io.BytesIO(data), formats=OPENED_FORMATS) as image:
            image.verify()
        # A verified image cannot be used any more; open it again to decode it.
        image = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
        image.load()
        # Inside the try: a broken EXIF block is a broken file too.
        return upright(image)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except Exception as error:
        # Truncated data, bad checksums, broken markers: Pillow has no single error for them.
        raise ValidationError(f"图片“{name}”已损坏或不完整，请重新导出后再上传。", code="broken") from error


def _too_large(name, size):
    return ValidationError(
        f"文件“{name}”有 {_size_text(size)}，超过了 {_size_text(max_bytes())} 的上限。", code="too_large"
    )


def _not_an_image(name):
    return ValidationError(f"文件“{name}”不是 JPEG、PNG 或 WebP 图片。", code="not_an_image")


def _too_many_pixels(name):
    return ValidationError(
        f"图片“{name}”像素太多（上限为 {_pixels(max_pixels())}），请缩小后再上传。", code="too_many_pixels"
    )


def _size_text(size):
    """``20 MB``, ``25.3 MB``; smaller sizes in KB or bytes, so a low limit still reads right."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


def _pixels(count):
    return f"{count / 10000:g} 万像素" if count >= 10000 else f"{count} 像素"


def upright(image):
    """The image as the camera held it (EXIF orientation applied), in RGB or RGBA for resizing and encoding."""
    icc_profile = image.info.get("icc_profile")
    # In place: a 40-megapixel photo is 120 MB decoded; no need for a second one.
    ImageOps.exif_transpose(image, in_place=True)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    # Only the colour profile is carried on: it is about colours, not about people or places.
    image.info = {"icc_profile": icc_profile} if icc_profile else {}
    return image


def widths(size, original_width):
    """The rendition widths one use needs: never wider than the original, no width twice."""
    return sorted({min(width, original_width) for width in SIZES[size]})


def planned_widths(original_width):
    """Every rendition width a photo of this width should have."""
    return sorted({width for size in SIZES for width in widths(size, original_width)})


def resize(image, width):
    """The image scaled to ``width`` pixels wide, its proportions kept."""
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(image, image_format):
    """The bytes of one rendition, from the pixels alone: no EXIF, XMP or comment can come along."""
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    icc_profile = image.info.get("icc_profile")
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    buffer = io.BytesIO()
    if image_format == "webp":
        pixels.save(buffer, "WEBP", quality=80, method=4, **extra)
    else:
        if pixels.mode == "RGBA":
            # JPEG has no transparency: lay the picture on white paper.
            background = Image.new("RGB", pixels.size, "white")
            background.paste(pixels, mask=pixels.getchannel("A"))
            pixels = background
        pixels.save(buffer, "JPEG", quality=82, optimize=True, progressive=True, **extra)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class RenditionFile:
    """What a page shows of one rendition, read as a plain row (``speed.lists.attach_lead_photos``)."""

    format: str
    width: int
    height: int
    name: str
    filesize: int
    storage: object

    @property
    def url(self):
        # Asked of the storage only when shown: a feed reads eight renditions a photo and shows one.
        return rendition_url(self.storage, self.name)

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]


def rendition_url(storage, name):
    """``storage.url(name)``, remembered: a rendition's name is never reused, nor its file changed.

    A photo list asks for a hundred of them, each a quoting and two parsings of a URL. Kept per
    storage and its ``base_url`` (where it has one), which tests and settings may change. Not kept
    where the storage signs its links (object storage's ``querystring_auth``): those expire.
    """
    if getattr(storage, "querystring_auth", False):
        return storage.url(name)
    return _rendition_url(storage, getattr(storage, "base_url", None), name)


@functools.lru_cache(maxsize=20000)
def _rendition_url(storage, base_url, name):
    return storage.url(name)


class PictureUses:
    """A photo's pictures for each use, from ``picture(size)``."""

    __slots__ = ()

    def picture(self, size):
        raise NotImplementedError

    @property
    def thumbnail(self):
        return self.picture("thumb")

    @property
    def article_picture(self):
        return self.picture("article")


@dataclass(frozen=True, slots=True)
class LeadPhoto(PictureUses):
    """A story's lead photo as lists, feeds and the front page's lead show it: the original's width,
    the renditions read for one use, and its text for readers who cannot see it."""

    width: int
    renditions: tuple
    alt: str = ""

    def picture(self, size):
        return picture_of(self.renditions, size, self.width)


def picture_of(renditions, size, original_width):
    """The ``Picture`` of ``renditions`` for one use (``"thumb"``, ``"article"``), or None while one is missing."""
    if not original_width:
        return None
    return Picture.choose(renditions, widths(size, original_width))


@dataclass(frozen=True)
class Picture:
    """The renditions of one use of a photo, ready for ``<picture>``: WebP sources and the JPEG fallback."""

    webp: tuple
    jpeg: tuple

    @classmethod
    def choose(cls, renditions, wanted_widths):
        """From a photo's renditions, those of ``wanted_widths``; None unless every one is there in both formats."""
        by_key = {(rendition.format, rendition.width): rendition for rendition in renditions}
        chosen = {}
        for image_format in FORMATS:
            found = [by_key.get((image_format, width)) for width in wanted_widths]
            if not found or None in found:
                return None
            chosen[image_format] = tuple(found)
        return cls(**chosen)

    @classmethod
    def of_every_width(cls, renditions):
        """Every width found in both formats (a printed page's images), or None where there is none."""
        by_format = {image_format: {} for image_format in FORMATS}
        for rendition in renditions:
            if rendition.format in by_format:
                by_format[rendition.format][rendition.width] = rendition
        widths = sorted(set.intersection(*(set(found) for found in by_format.values())))
        if not widths:
            return None
        return cls(**{image_format: tuple(by_format[image_format][w] for w in widths) for image_format in FORMATS})

    @staticmethod
    def _srcset(renditions):
        return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)

    @property
    def webp_srcset(self):
        return self._srcset(self.webp)

    @property
    def jpeg_srcset(self):
        return self._srcset(self.jpeg)

    @property
    def fallback(self):
        """The smallest JPEG: for ``src``, for browsers that read no ``srcset``, and for feeds."""
        return self.jpeg[0]

    @property
    def src(self):
        return self.fallback.url

    @property
    def width(self):
        return self.fallback.width

    @property
    def height(self):
        return self.fallback.height


def original_storage():
    """Where photo originals go (``STORAGES["originals"]``): apart from what readers can fetch."""
    return storages["originals"]


class OriginalsStorage(FileSystemStorage):
    """Originals as uploaded, in ``PRIVATE_MEDIA_ROOT``: a folder the web server must not serve.

    Their URLs lead to the staff-only view (``ORIGINALS_URL``), never to a public address.
    """

    def __init__(self, location=None, base_url=ORIGINALS_URL, **kwargs):
        super().__init__(location=location, base_url=base_url, **kwargs)
        self.given_location = location

    # Read from the settings each time, not kept: tests point PRIVATE_MEDIA_ROOT at a temporary
    # folder, as they do MEDIA_ROOT.
    @property
    def base_location(self):
        return self.given_location or settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)
