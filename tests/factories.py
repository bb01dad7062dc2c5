"""Small builders for tests: every story is written through the services, as in the product."""

import datetime
import hashlib
import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from newsroom import body as story_body
from newsroom.models import Bureau, Correspondent, Issue, Page, PageImage, Region, Story, Zone
from newsroom.services import roles
from newsroom.services.stories import CreditInput, PhotoInput, create_story
from newsroom.services.workflow import Action, transition

_numbers = itertools.count(1)


def region(slug):
    return Region.objects.get(slug=slug)


def bureau(slug):
    return Bureau.objects.get_or_create(region=region(slug))[0]


def correspondent(name="王立新", title=Correspondent.Title.CORRESPONDENT, **fields):
    return Correspondent.objects.create(name=name, title=title, **fields)


def issue(number=None, date=None, pages=4):
    number = number or next(_numbers) + 1000
    made = Issue.objects.create(number=number, date=date or datetime.date(2026, 11, 20))
    for page in range(1, pages + 1):
        Page.objects.create(issue=made, number=page, name=f"第{page}版名")
    return made


def jpeg(width=64, height=48, color=(200, 120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


# A printed page's proportions (A3 upright), as its images are drawn.
PAGE_SIZE = (1000, 1414)


def page_image_bytes(width, image_format="jpeg", blocks=()):
    """A page image ``width`` pixels wide: white, with a grey block for each of ``blocks`` (x, y, w, h fractions)."""
    height = round(width * PAGE_SIZE[1] / PAGE_SIZE[0])
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    line = max(2, width // 120)
    for x, y, w, h in blocks:
        left, top, right, bottom = x * width, y * height, (x + w) * width - line, (y + h) * height - line
        # A story as a page shows it from afar: a dark headline over grey lines of text.
        draw.rectangle([left, top, right, top + 3 * line], fill=(40, 40, 40))
        for row in range(int(top + 6 * line), int(bottom), 2 * line):
            draw.rectangle([left, row, right, row + line // 2 + 1], fill=(170, 170, 170))
    buffer = io.BytesIO()
    image.save(buffer, image_format.upper())
    return buffer.getvalue(), height


def printed(page, widths=(240, 800), blocks=(), pdf=b"%PDF-1.4 test page"):
    """Give ``page`` a PDF and its images at ``widths``, in WebP and JPEG, as an import would."""
    page.pdf_sha256 = hashlib.sha256(pdf + str(page.pk).encode()).hexdigest()
    page.pdf = ContentFile(pdf, name=f"page-{page.number}.pdf")
    page.save()
    for width in widths:
        for image_format, extension in (("webp", "webp"), ("jpeg", "jpg")):
            data, height = page_image_bytes(width, image_format, blocks)
            PageImage.objects.create(
                page=page,
                source=page.pdf_sha256,
                width=width,
                height=height,
                format=image_format,
                file=ContentFile(data, name=f"page-{page.pk}-{width}.{extension}"),
                filesize=len(data),
            )
    return page


def zone(story_, page, x, y, w, h, position=0):
    return Zone.objects.create(story=story_, page=page, x=x, y=y, w=w, h=h, position=position)


def story(headline="市政协召开常委会议", paragraphs=("11月18日，市政协召开常委会议。",), subheads=(), **fields):
    body = [("paragraph", text) for text in paragraphs]
    for position, text in subheads:
        body.insert(position, ("subhead", text))
    fields.setdefault("body", story_body.make(body))
    return create_story(headline=headline, **fields)


def photo_story(headline="委员开展义诊活动", caption="11月16日，委员们为群众义诊。", photographer=None, **fields):
    return story(
        headline=headline,
        kind=Story.Kind.PHOTO,
        paragraphs=(caption,),
        credits=[CreditInput(photographer, "photo")] if photographer else [],
        photos=[PhotoInput(image=jpeg(), caption=caption, alt="委员为群众量血压", photographer=photographer)],
        **fields,
    )


def staff(username, role):
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


def publish(story_, when=None):
    """Take a story through the workflow to published, as an editor and a chief editor would."""
    editor = staff("factory-editor", roles.EDITOR)
    chief = staff("factory-chief", roles.CHIEF_EDITOR)
    if story_.status == "draft":
        transition(story_, Action.SUBMIT, actor=editor)
    transition(story_, Action.APPROVE, actor=editor)
    if when is not None and when > timezone.now():
        transition(story_, Action.SCHEDULE, actor=chief, when=when)
    else:
        transition(story_, Action.PUBLISH, actor=chief, when=when)
    story_.refresh_from_db()
    return story_


def published_story(**fields):
    when = fields.pop("published_at", None)
    return publish(story(**fields), when=when)
