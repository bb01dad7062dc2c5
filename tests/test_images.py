"""Uploads are judged by their content: every refused kind is refused with its message and leaves nothing.

Every image here is made by Pillow in the test; none is downloaded.
"""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import ExifTags, Image

from newsroom import images
from newsroom.models import Photo, Rendition
from newsroom.services.photos import add_photo

from . import factories


@pytest.fixture(autouse=True)
def private_media_in_tmp(settings, tmp_path):
    """Originals written by a test go to a temporary folder, as photos do (conftest)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


# Images made here, for these tests and the other photo tests.


def image_bytes(image_format="JPEG", size=(64, 48), color=(200, 120, 40), noise=False, **options):
    image = Image.effect_noise(size, 64).convert("RGB") if noise else Image.new("RGB", size, color)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def image_file(name="photo.jpg", image_format="JPEG", size=(64, 48), **options):
    return ContentFile(image_bytes(image_format, size, **options), name=name)


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: the shape of a decompression bomb."""
    data = image_bytes("PNG", (1, 1))
    # The IHDR chunk follows the 8-byte signature: length (4), type (4), width and height (4 + 4), … CRC.
    ihdr = bytearray(data[8 : 8 + 25])
    ihdr[8:16] = struct.pack(">II", width, height)
    ihdr[21:25] = struct.pack(">I", zlib.crc32(bytes(ihdr[4:21])))
    return data[:8] + bytes(ihdr) + data[8 + 25 :]


def exif_with_place(orientation=6):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.BodySerialNumber] = "SN-20261120"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (36.0, 3.0, 15.5), 3: "E", 4: (103.0, 50.0, 0.0)}
    return exif


def sideways_image(image_format="PNG", **options):
    """60 × 40 as stored, left half red and right half blue, with EXIF saying "turn 90° clockwise" and a GPS fix.

    Upright it is 40 × 60, red on top, blue below.
    """
    image = Image.new("RGB", (60, 40), (255, 0, 0))
    image.paste((0, 0, 255), (30, 0, 60, 40))
    buffer = io.BytesIO()
    image.save(buffer, image_format, exif=exif_with_place(), **options)
    return buffer.getvalue()


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def stored_files(settings):
    return files_under(settings.MEDIA_ROOT) + files_under(settings.PRIVATE_MEDIA_ROOT)


# What is refused, and what it leaves: nothing.

REFUSED = [
    pytest.param(
        lambda: ContentFile(image_bytes("GIF"), name="动图.gif"),
        "文件“动图.gif”不是 JPEG、PNG 或 WebP 图片。",
        id="a GIF",
    ),
    pytest.param(
        lambda: ContentFile("这不是图片，只是文字。".encode(), name="会议.jpg"),
        "文件“会议.jpg”不是 JPEG、PNG 或 WebP 图片。",
        id="text named .jpg",
    ),
    pytest.param(
        lambda: ContentFile(b"", name="empty.jpg"),
        "文件“empty.jpg”不是 JPEG、PNG 或 WebP 图片。",
        id="an empty file",
    ),
    pytest.param(
        lambda: ContentFile(image_bytes("JPEG", (400, 300), noise=True)[:6000], name="cut.jpg"),
        "图片“cut.jpg”已损坏或不完整，请重新导出后再上传。",
        id="a truncated JPEG",
    ),
    pytest.param(
        lambda: ContentFile(image_bytes("PNG", (400, 300), noise=True)[:20000], name="cut.png"),
        "图片“cut.png”已损坏或不完整，请重新导出后再上传。",
        id="a truncated PNG",
    ),
    pytest.param(
        lambda: ContentFile(png_claiming(50_000, 50_000), name="bomb.png"),
        "图片“bomb.png”像素太多（上限为 4000 万像素），请缩小后再上传。",
        id="a decompression bomb",
    ),
    pytest.param(
        lambda: ContentFile(png_claiming(6000, 6000), name="liar.png"),
        "图片“liar.png”已损坏或不完整，请重新导出后再上传。",
        id="a header claiming pixels it does not hold",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make_upload", "message"), REFUSED)
def test_refused_uploads_say_why_and_leave_no_row_and_no_file(settings, regions, make_upload, message):
    story = factories.story()

    with pytest.raises(ValidationError) as refusal:
        add_photo(story, upload=make_upload(), caption="说明", alt="替代文字")

    assert refusal.value.messages == [message]
    assert Photo.objects.count() == 0 and Rendition.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_more_pixels_than_the_setting_allows_is_refused(settings, regions):
    settings.PHOTO_MAX_PIXELS = 1000

    with pytest.raises(ValidationError) as refusal:
        add_photo(factories.story(), upload=image_file("big.jpg", size=(64, 48)), caption="说明", alt="替代")

    assert refusal.value.messages == ["图片“big.jpg”像素太多（上限为 1000 像素），请缩小后再上传。"]
    assert Photo.objects.count() == 0 and stored_files(settings) == []


@pytest.mark.django_db
def test_more_bytes_than_the_setting_allows_is_refused(settings, regions):
    settings.PHOTO_MAX_BYTES = 4096
    upload = image_file("heavy.jpg", size=(200, 150), noise=True)
    assert upload.size > 4096

    with pytest.raises(ValidationError) as refusal:
        add_photo(factories.story(), upload=upload, caption="说明", alt="替代")

    assert refusal.value.messages == [
        f"文件“heavy.jpg”有 {upload.size / 1024:.1f} KB，超过了 4 KB 的上限。".replace(".0 KB", " KB")
    ]
    assert Photo.objects.count() == 0 and stored_files(settings) == []


def test_the_default_limits_are_twenty_megabytes_and_forty_megapixels():
    assert images.DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    assert images.DEFAULT_MAX_PIXELS == 40_000_000
    assert images._size_text(images.DEFAULT_MAX_BYTES) == "20 MB"


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("MPO", "jpg")]
)
def test_jpeg_png_and_webp_are_accepted_whatever_their_name(image_format, extension):
    options = {"save_all": True, "append_images": [Image.new("RGB", (64, 48))]} if image_format == "MPO" else {}
    checked = images.open_upload(image_file("没有扩展名", image_format, **options))

    assert checked.extension == extension
    assert (checked.width, checked.height) == (64, 48)


def test_the_validator_and_the_form_field_refuse_an_upload_and_leave_a_stored_file_alone():
    with pytest.raises(ValidationError, match="不是 JPEG、PNG 或 WebP 图片"):
        images.validate_upload(SimpleUploadedFile("x.gif", image_bytes("GIF"), content_type="image/gif"))

    with pytest.raises(ValidationError) as refusal:
        images.PhotoUploadField().clean(SimpleUploadedFile("bomb.png", png_claiming(50_000, 50_000)))
    assert refusal.value.messages == ["图片“bomb.png”像素太多（上限为 4000 万像素），请缩小后再上传。"]
    assert images.PhotoUploadField().clean(SimpleUploadedFile("ok.png", image_bytes("PNG"))).name == "ok.png"

    class StoredFile:
        # What a saved photo's field holds: it was checked when it came in.
        _committed = True

    images.validate_upload(StoredFile())


# Upright, and nothing personal in what the public can fetch.


def public_copies(photo):
    return [(rendition, rendition.file.read()) for rendition in photo.renditions.all()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        pytest.param("PNG", {}, id="PNG"),
        pytest.param("JPEG", {"comment": b"at home", "xmp": b"<x:xmpmeta>GPS 36.05N</x:xmpmeta>"}, id="JPEG"),
    ],
)
def test_exif_orientation_is_applied_and_metadata_left_out_of_every_public_copy(
    settings, regions, image_format, options
):
    upload = ContentFile(sideways_image(image_format, **options), name="IMG_0001.jpg")

    photo = add_photo(factories.story(), upload=upload, caption="说明", alt="替代")

    assert (photo.width, photo.height) == (40, 60)
    copies = public_copies(photo)
    assert {(rendition.format, rendition.width, rendition.height) for rendition, _ in copies} == {
        ("webp", 40, 60),
        ("jpeg", 40, 60),
    }
    for rendition, data in copies:
        for trace in (b"Exif", b"TestCam", b"SN-20261120", b"xmpmeta", b"at home"):
            assert trace not in data, (rendition.format, trace)
        with Image.open(io.BytesIO(data)) as image:
            assert len(image.getexif()) == 0
            assert not {"exif", "xmp", "comment"} & set(image.info)
            image = image.convert("RGB")
            top, bottom = image.getpixel((20, 5)), image.getpixel((20, 55))
        assert top[0] > 200 and top[2] < 60, top
        assert bottom[2] > 200 and bottom[0] < 60, bottom


@pytest.mark.django_db
def test_the_original_is_kept_as_sent_for_staff_and_out_of_the_public_media(settings, regions):
    sent = sideways_image("PNG")

    photo = add_photo(factories.story(), upload=ContentFile(sent, name="IMG_0001.jpg"), caption="说明", alt="替代")

    # A PNG sent as .jpg is kept under a name of its own, with its real extension.
    assert re.fullmatch(r"originals/\d{4}/\d{2}/[0-9a-f]{32}\.png", photo.image.name), photo.image.name
    assert (settings.PRIVATE_MEDIA_ROOT / photo.image.name).read_bytes() == sent
    assert all(not name.startswith("originals") for name in files_under(settings.MEDIA_ROOT))
    assert photo.image.url.startswith(images.ORIGINALS_URL)


def test_a_transparent_png_gets_a_white_background_in_jpeg_and_keeps_it_in_webp():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    upright = images.upright(image)

    with Image.open(io.BytesIO(images.encode(upright, "jpeg"))) as jpeg:
        assert jpeg.mode == "RGB" and jpeg.getpixel((10, 10))[0] > 240
    with Image.open(io.BytesIO(images.encode(upright, "webp"))) as webp:
        assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0


def test_rendition_widths_never_exceed_the_original():
    assert images.planned_widths(4000) == [320, 640, 800, 1600]
    assert images.planned_widths(700) == [320, 640, 700]
    assert images.widths("article", 700) == [700]
    assert images.widths("thumb", 200) == [200]


def test_a_model_form_of_photos_refuses_with_the_same_message():
    # What the admin's photo form does even before it is given PhotoUploadField.
    form_class = modelform_factory(Photo, fields=["image", "caption", "alt"])
    form = form_class(
        data={"caption": "说明", "alt": "替代"},
        files={"image": SimpleUploadedFile("动图.gif", image_bytes("GIF"), content_type="image/gif")},
    )

    assert not form.is_valid()
    assert form.errors["image"] == ["文件“动图.gif”不是 JPEG、PNG 或 WebP 图片。"]


class CountingStorage:
    """A storage's ``url()``, counted: each answer differs, as signed links do."""

    def __init__(self, querystring_auth):
        self.querystring_auth = querystring_auth
        self.asked = 0

    def url(self, name):
        self.asked += 1
        return f"https://media.example.cn/{name}?signature={self.asked}"


def test_a_rendition_url_is_remembered_unless_the_storage_signs_its_links():
    public = CountingStorage(querystring_auth=False)
    first = images.rendition_url(public, "renditions/a-640.jpg")
    assert images.rendition_url(public, "renditions/a-640.jpg") == first
    assert public.asked == 1

    signed = CountingStorage(querystring_auth=True)
    links = {images.rendition_url(signed, "renditions/a-640.jpg") for _ in range(3)}
    assert len(links) == 3, "a signed link expires; each page needs a fresh one"
