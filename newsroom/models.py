import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from . import body as story_body
from . import images, progress
from .querysets import (
    BureauQuerySet,
    FrontPlacementQuerySet,
    IssueQuerySet,
    JobQuerySet,
    PageQuerySet,
    RegionQuerySet,
    StoryQuerySet,
    TopicQuerySet,
    ZoneQuerySet,
)


@functools.lru_cache(maxsize=8192)
def _reverse(urlconf, prefix, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def page_url(name, *args):
    """``reverse(name, args=args)``, remembered: a list page links every story, its region and its issue.

    Kept per URLconf and script prefix, the two things besides its arguments that a reversed URL depends on.
    """
    return _reverse(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        PREFECTURE = "prefecture", "市州"
        COUNTY = "county", "县区"

    slug = models.SlugField("标识", max_length=50, unique=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=20, help_text="电头所用的地名，如“张掖”“岷县”。")
    level = models.CharField("级别", max_length=12, choices=Level)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField("排序", default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | (~Q(level="province") & Q(parent__isnull=False)),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("newsroom:region", self.slug)

    @property
    def prefecture(self):
        """The prefecture a county lies in; a prefecture is its own; the province has none."""
        if self.level == self.Level.COUNTY:
            return self.parent
        if self.level == self.Level.PREFECTURE:
            return self
        return None


class Bureau(models.Model):
    """A place the paper files from. Its dateline comes from the region's short name."""

    region = models.OneToOneField(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="bureau")
    active = models.BooleanField("在用", default=True)

    objects = BureauQuerySet.as_manager()

    class Meta:
        verbose_name = "记者站"
        verbose_name_plural = "记者站"
        ordering = ["region__position", "pk"]

    def __str__(self):
        return self.dateline

    def get_absolute_url(self):
        return page_url("newsroom:bureau", self.slug)

    @property
    def slug(self):
        return self.region.slug

    @property
    def place(self):
        return self.region.short_name

    @property
    def dateline(self):
        return dateline_of(self.place)

    @property
    def name(self):
        """What the bureau is called on its page and in lists: ``酒泉市记者站``, its region's full name."""
        return f"{self.region.name}记者站"


def dateline_of(place):
    """A bureau's dateline from its place name: ``本报张掖讯``."""
    return f"本报{place}讯"


class Correspondent(models.Model):
    class Title(models.TextChoices):
        CORRESPONDENT = "通讯员", "通讯员"
        REPORTER = "记者", "记者"
        SPECIAL_CORRESPONDENT = "特约通讯员", "特约通讯员"
        SPECIAL_REPORTER = "特约记者", "特约记者"
        PHOTOGRAPHER = "摄影记者", "摄影记者"
        TRAINEE = "见习记者", "见习记者"
        INTERN = "实习生", "实习生"

    name = models.CharField("姓名", max_length=50)
    title = models.CharField("身份", max_length=20, choices=Title, default=Title.CORRESPONDENT)
    unit = models.CharField("工作单位", max_length=100, blank=True)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name="记者站",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correspondents",
    )
    # Contact details are for the newsroom only: no public template shows them.
    phone = models.CharField("电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="后台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correspondent",
    )
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "通讯员"
        verbose_name_plural = "通讯员与记者"
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.title} {self.name}"

    def get_absolute_url(self):
        return page_url("newsroom:correspondent", self.pk)


class Issue(models.Model):
    number = models.PositiveIntegerField("期号", unique=True)
    date = models.DateField("出版日期", db_index=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "报纸各期"
        ordering = ["-number"]
        constraints = [models.CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive")]

    def __str__(self):
        return f"第{self.number}期（{self.date:%Y年%-m月%-d日}）"

    def get_absolute_url(self):
        return page_url("newsroom:issue", self.number)


class Page(models.Model):
    issue = models.ForeignKey(Issue, verbose_name="期", on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("版次")
    name = models.CharField("版名", max_length=50, blank=True)
    # As the page's editors' line prints it (责任编辑：张伟): shown on the page's stories.
    editor = models.CharField("责任编辑", max_length=50, blank=True)
    # The page as laid out and printed, when it came as a PDF: kept for readers to download, and the
    # source of the page's images (PageImage). Pages that came as text have neither.
    pdf = models.FileField("版面 PDF", upload_to="pages/%Y/%m/", max_length=255, blank=True)
    pdf_sha256 = models.CharField("PDF 校验值", max_length=64, blank=True, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_in_issue"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self):
        return f"第{self.number}版 {self.name}".strip()

    def get_absolute_url(self):
        return page_url("newsroom:issue_page", self.issue.number, self.number)

    @functools.cached_property
    def current_images(self):
        """The images made from the present PDF (those of a PDF since replaced are stale), narrowest first."""
        if not self.pdf_sha256:
            return []
        return sorted(
            (image for image in self.images.all() if image.source == self.pdf_sha256),
            key=lambda image: (image.width, image.format),
        )

    @property
    def picture(self):
        """Every width of the page's image in WebP and JPEG (``images.Picture``), or None for a page without one."""
        return images.Picture.of_every_width(self.current_images)

    @property
    def thumbnail(self):
        """The narrowest width alone, in both formats: the page among its issue's pages, or None."""
        chosen = self.picture
        return images.Picture(webp=chosen.webp[:1], jpeg=chosen.jpeg[:1]) if chosen else None

    @property
    def pdf_size(self):
        """The size of the page's PDF in bytes, or None when it has none (or its file is missing)."""
        if not self.pdf:
            return None
        try:
            return self.pdf.size
        except OSError:
            return None


class ResizedImage(models.Model):
    """A picture as readers fetch it: one width, one format (WebP or JPEG), made once and kept."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    format = models.CharField("格式", max_length=4, choices=Format)
    filesize = models.PositiveIntegerField("字节数")

    class Meta:
        abstract = True
        ordering = ["width", "format"]

    @property
    def url(self):
        return images.rendition_url(self.file.storage, self.file.name)


class PageImage(ResizedImage):
    """The printed page as an image at one width, in one format, made once from its PDF (the 数字报's picture).

    ``source`` is the checksum of the PDF it was made from: a page whose PDF is replaced gets new images.
    """

    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="images")
    source = models.CharField("PDF 校验值", max_length=64)
    file = models.FileField("文件", upload_to="pages/%Y/%m/", max_length=255)

    class Meta(ResizedImage.Meta):
        verbose_name = "版面图"
        verbose_name_plural = "版面图"
        constraints = [
            models.UniqueConstraint(fields=["page", "source", "width", "format"], name="page_image_once"),
        ]

    def __str__(self):
        return f"{self.page}: {self.width}w {self.format}"


class Zone(models.Model):
    """A rectangle a story covers on a printed page, as fractions of the page (origin top-left).

    A story has one zone or several: an L-shaped story has two on one page, a story continued
    on another page (接一版) has zones on both.
    """

    story = models.ForeignKey("Story", verbose_name="稿件", on_delete=models.CASCADE, related_name="zones")
    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="zones")
    x = models.FloatField("左")
    y = models.FloatField("上")
    w = models.FloatField("宽")
    h = models.FloatField("高")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = "版面区域"
        verbose_name_plural = "版面区域"
        ordering = ["page", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(x__gte=0, y__gte=0, w__gt=0, h__gt=0, x__lte=1, y__lte=1),
                name="zone_on_page",
            ),
        ]

    def __str__(self):
        return f"{self.page} ({self.x:.3f}, {self.y:.3f}, {self.w:.3f}, {self.h:.3f})"

    def clean(self):
        if self.x is not None and self.w is not None and self.x + self.w > 1.0001:
            raise ValidationError("区域超出了版面右边：左 + 宽 不能大于 1。")
        if self.y is not None and self.h is not None and self.y + self.h > 1.0001:
            raise ValidationError("区域超出了版面下边：上 + 高 不能大于 1。")


class Topic(models.Model):
    """A 专题: stories an editor groups under one subject (两会, 委员履职, 提案办理), with a page and a feed."""

    name = models.CharField("名称", max_length=50, unique=True)
    # Unicode allowed: a topic an import makes from its name alone gets that name as its address (/topics/两会/).
    slug = models.SlugField(
        "标识",
        max_length=50,
        unique=True,
        allow_unicode=True,
        help_text="专题网址中的一段：可用汉字、拼音字母、数字和连字符。",
    )
    description = models.TextField("简介", blank=True)
    position = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True, help_text="停用的专题不在导航和首页出现，其页面仍可打开。")

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("newsroom:topic", self.slug)


# A story's content: what editors edit, versions keep and imports write (status and times are the workflow's).
STORY_CONTENT_FIELDS = (
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "bureau",
    "region",
    "event_date",
    "issue",
    "page",
    "position",
    "continued_from_page",
    "continued_on_page",
    "body",
)


class BodyEncoder(DjangoJSONEncoder):
    """Store Chinese text as itself, not as \\u escapes: half the size, readable in the database."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Story(models.Model):
    """An article or a photo report: one workflow, one set of credits and placement for both."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        PHOTO = "photo", "摄影报道"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审"
        APPROVED = "approved", "已通过"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤稿"

    kind = models.CharField("类型", max_length=10, choices=Kind, default=Kind.ARTICLE)
    reference = models.CharField(
        "稿件编号", max_length=100, blank=True, help_text="导入批次等外部来源的稳定编号；留空则无。"
    )
    kicker = models.CharField("引题", max_length=100, blank=True, help_text="标题上方的单位名，如“张掖市政协”。")
    headline = models.CharField("标题", max_length=200)
    subheadline = models.CharField("副题", max_length=200, blank=True)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name="电头（记者站）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
        help_text="留空即“本报讯”或无电头。",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
        help_text="留空则取记者站所在地区。",
    )
    event_date = models.DateField("事件日期", null=True, blank=True)
    issue = models.ForeignKey(
        Issue, verbose_name="期", null=True, blank=True, on_delete=models.PROTECT, related_name="stories"
    )
    page = models.PositiveSmallIntegerField("版次", null=True, blank=True)
    position = models.PositiveSmallIntegerField("版内顺序", default=0)
    continued_from_page = models.PositiveSmallIntegerField("接自第几版", null=True, blank=True)
    continued_on_page = models.PositiveSmallIntegerField("转至第几版", null=True, blank=True)
    body = models.JSONField("正文", default=list, blank=True, encoder=BodyEncoder)
    topics = models.ManyToManyField(Topic, verbose_name="专题", blank=True, related_name="stories")
    # Where in the body the part printed on ``continued_on_page`` begins, once a
    # continuation (接X版) has been joined to the story it continues.
    continuation_start = models.PositiveSmallIntegerField("续接部分起始段", null=True, blank=True, editable=False)
    # Kicker, headlines, body and the credited people's names as plain lower-case text:
    # what reader search looks in, kept in one column so that one index serves it.
    search_text = models.TextField(editable=False, default="")
    # The characters papers pay fees (稿费) by, kept with the text so the records page sums them in the
    # database: every character of the headline and body but spaces and line breaks (``characters_of``).
    char_count = models.PositiveIntegerField("字数", editable=False, default=0)
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    correction = models.TextField("更正说明", blank=True)
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤稿原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作者账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("submit_story", "可以提交稿件送审"),
            ("review_story", "可以审稿（退回、通过、排版）"),
            ("publish_story", "可以签发、定时发布、撤稿和更正"),
        ]
        indexes = [
            # The readers' lists: newest first, and the same within a region.
            models.Index(fields=["status", "-published_at", "-id"], name="story_published_order"),
            models.Index(fields=["region", "status", "-published_at"], name="story_region_published"),
            # 摄影报道 in the masthead: photo reports are one story in ten.
            models.Index(
                fields=["status", "-published_at", "-id"], condition=Q(kind="photo"), name="story_photo_published"
            ),
            models.Index(fields=["issue", "page", "position"], name="story_placement"),
            # The desk's list of every story, whatever its state, newest first (drafts, with no time, on top).
            models.Index(fields=["-published_at", "-id"], name="story_admin_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="story_reference_unique"),
            models.CheckConstraint(
                condition=Q(page__isnull=True) | Q(issue__isnull=False), name="story_page_needs_issue"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_time",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.search_text = self.compose_search_text(self.credited_names())
        self.char_count = self.count_characters()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("newsroom:story", self.pk)

    @property
    def is_public(self):
        """Published, and its publication time has come: what readers may open (``Story.objects.published()``)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        """Published, with a publication time still to come (``Story.objects.scheduled()``)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def clean(self):
        try:
            story_body.validate(self.body)
        except ValidationError as error:
            raise ValidationError({"body": error.messages}) from error
        if self.page is not None and self.issue_id is None:
            raise ValidationError({"page": "排了版次，就要选定是哪一期。"})
        if self.bureau_id is not None and self.region_id is None:
            self.region_id = self.bureau.region_id

    def compose_search_text(self, names=()):
        """What search looks in (``search_text_of``): this story's text and ``names``, its credited people's."""
        return search_text_of(self.kicker, self.headline, self.subheadline, self.body, names)

    def count_characters(self):
        """This story's characters as fees are paid by them (``characters_of``)."""
        return characters_of(self.headline, self.body)

    def credited_names(self):
        """The names of the people credited on the story as stored, in the credits' order (one query)."""
        if self.pk is None:
            return []
        return list(self.credits.order_by("position", "pk").values_list("correspondent__name", flat=True))

    @property
    def blocks(self):
        return story_body.blocks(self.body)

    @property
    def paragraphs(self):
        return [block.text for block in self.blocks if block.is_paragraph]

    @property
    def subheads(self):
        return [block.text for block in self.blocks if block.is_subhead]

    @property
    def is_photo_report(self):
        return self.kind == self.Kind.PHOTO

    def text_credits(self):
        return [credit for credit in self.credits.all() if credit.contribution == Credit.Contribution.TEXT]

    def photo_credits(self):
        return [credit for credit in self.credits.all() if credit.contribution == Credit.Contribution.PHOTO]

    @property
    def byline(self):
        """The dateline's parentheses, as printed: ``通讯员王熙乐``, ``通讯员 张三 李四``, ``通讯员张三 记者李四``.

        Credits printed without a title (a trailing ``(李岩)``) are not part of it.
        """
        return format_byline([credit for credit in self.text_credits() if credit.title])

    @property
    def trailing_byline(self):
        names = [credit.correspondent.name for credit in self.text_credits() if not credit.title]
        return " ".join(names)

    @property
    def dateline(self):
        """``本报张掖讯(通讯员王熙乐)`` — printed at the head of the first paragraph."""
        byline = self.byline
        if not self.bureau_id and not byline:
            return ""
        head = self.bureau.dateline if self.bureau_id else "本报讯"
        return f"{head}({byline})" if byline else head

    @functools.cached_property
    def lead_photo(self):
        """The first photo, or None. Lists set it for all their stories at once (``StoriesForLists``)."""
        photos = list(self.photos.all())
        return photos[0] if photos else None


def search_text_of(kicker, headline, subheadline, body, names):
    """Kicker, headlines, body and credited names as one lower-case text, the parts a line each.

    Search matches it case-sensitively, which is cheaper; a reader's words are lowered to match.
    A correspondent's name (王熙乐) finds their stories.
    """
    parts = [kicker, headline, subheadline, story_body.plain_text(body), " ".join(names)]
    return "\n".join(part for part in parts if part).lower()


def characters_of(headline, body):
    """The characters of ``headline`` and ``body`` as a paper pays fees (稿费) by them.

    Every character counts one, Chinese or not (汉字, punctuation, Latin letters, digits), but
    whitespace of any width, which is layout, not writing. The records page says so, and the body
    editor's live count is the body's part of it (``body.character_count``).
    """
    return len("".join(headline.split())) + sum(story_body.character_count(body))


def format_byline(credits):
    groups = []
    for credit in credits:
        if groups and groups[-1][0] == credit.title:
            groups[-1][1].append(credit.correspondent.name)
        else:
            groups.append((credit.title, [credit.correspondent.name]))
    if len(groups) == 1 and len(groups[0][1]) == 1:
        title, names = groups[0]
        return f"{title}{names[0]}"
    return " ".join(f"{title}{names[0]}" if len(names) == 1 else " ".join([title, *names]) for title, names in groups)


# The states the desk counts and the admin filters by: the statuses, with scheduled apart from published.
STORY_STATES = [*Story.Status.choices[:3], ("scheduled", "已排期"), *Story.Status.choices[3:]]


class Credit(models.Model):
    class Contribution(models.TextChoices):
        TEXT = "text", "文字"
        PHOTO = "photo", "摄影"

    story = models.ForeignKey(Story, verbose_name="稿件", on_delete=models.CASCADE, related_name="credits")
    correspondent = models.ForeignKey(
        Correspondent, verbose_name="作者", on_delete=models.PROTECT, related_name="credits"
    )
    title = models.CharField("署名身份", max_length=20, blank=True, help_text="见报时的身份，如“通讯员”“本报记者”。")
    contribution = models.CharField("贡献", max_length=10, choices=Contribution, default=Contribution.TEXT)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "correspondent", "contribution"], name="credit_once_per_contribution"
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.correspondent.name}".strip()


class Photo(images.PictureUses, models.Model):
    story = models.ForeignKey(Story, verbose_name="稿件", on_delete=models.CASCADE, related_name="photos")
    # The file as it was uploaded, with all its metadata, for the newsroom only.
    # Readers get renditions (below), made from it with the metadata left out.
    image = models.ImageField(
        "原图",
        upload_to="originals/%Y/%m/",
        storage=images.original_storage,
        max_length=255,
        validators=[images.validate_upload],
        help_text="JPEG、PNG 或 WebP。原图只供编辑部查看；读者看到的是去掉拍摄地点等信息后的缩放图。",
    )
    # The size upright (EXIF orientation applied), kept so pages and renditions need not open the original.
    width = models.PositiveIntegerField("宽", null=True, editable=False)
    height = models.PositiveIntegerField("高", null=True, editable=False)
    caption = models.TextField("图片说明")
    alt = models.CharField("替代文字", max_length=200, help_text="给看不到图片的读者的简短描述。")
    photographer = models.ForeignKey(
        Correspondent,
        verbose_name="摄影",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="photos",
    )
    photographer_title = models.CharField("摄影署名身份", max_length=20, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption[:40]

    @property
    def credit_line(self):
        """``通讯员 鱼勇 摄``, as the paper prints it."""
        if not self.photographer_id:
            return ""
        return " ".join(part for part in [self.photographer_title, self.photographer.name, "摄"] if part)

    def picture(self, size):
        """The renditions for one use (``"thumb"``, ``"article"``), or None while they are not all made."""
        return images.picture_of(self.current_renditions, size, self.width)

    @functools.cached_property
    def current_renditions(self):
        """The renditions made from the present original (those of an original since replaced are stale)."""
        return [rendition for rendition in self.renditions.all() if rendition.source == self.image.name]


class Rendition(ResizedImage):
    """One resized copy of a photo, in one format, as readers fetch it. Made once, then kept.

    ``source`` names the original it was made from: when a photo's original is
    replaced, renditions of the old one are stale and are made again.
    """

    photo = models.ForeignKey(Photo, verbose_name="图片", on_delete=models.CASCADE, related_name="renditions")
    source = models.CharField("原图文件", max_length=255)
    file = models.FileField("文件", upload_to="photos/%Y/%m/", max_length=255)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta(ResizedImage.Meta):
        verbose_name = "缩放图"
        verbose_name_plural = "缩放图"
        constraints = [
            models.UniqueConstraint(fields=["photo", "source", "width", "format"], name="rendition_once"),
        ]

    def __str__(self):
        return f"{self.photo_id}: {self.width}w {self.format}"

    @property
    def content_type(self):
        return images.CONTENT_TYPES[self.format]


class FrontPlacement(models.Model):
    """An editor's choice for the front page: the lead (头条), or one of the top stories (要闻) in its place.

    At most one lead; a story holds one place at most. A placement may expire, and only a story
    readers may see is ever shown (``FrontPlacement.objects.in_force()``); written by ``services.front``.
    """

    class Slot(models.TextChoices):
        LEAD = "lead", "头条"
        TOP = "top", "要闻"

    story = models.OneToOneField(Story, verbose_name="稿件", on_delete=models.CASCADE, related_name="front_placement")
    slot = models.CharField("位置", max_length=4, choices=Slot)
    position = models.PositiveSmallIntegerField("顺序", default=0, help_text="要闻按此由小到大排列。")
    expires_at = models.DateTimeField("撤下时间", null=True, blank=True, help_text="到时自动撤下；留空则一直保留。")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编排人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField("编排时间", auto_now=True)

    objects = FrontPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "头版编排"
        verbose_name_plural = "头版编排"
        ordering = ["slot", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(slot="lead"), name="front_one_lead"),
        ]

    def __str__(self):
        return f"{self.get_slot_display()}：{self.story.headline}"


class Transition(models.Model):
    """One step of a story through the workflow: who, when, from, to, why. Never edited."""

    story = models.ForeignKey(Story, verbose_name="稿件", on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="story_transitions",
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=12, choices=Story.Status)
    to_status = models.CharField("新状态", max_length=12, choices=Story.Status)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.story_id}：{self.get_from_status_display()} → {self.get_to_status_display()}"


class ImportBatch(models.Model):
    """One import of bulletin files: who, when, which files, what it did. Undone as a whole."""

    class State(models.TextChoices):
        APPLIED = "applied", "已导入"
        UNDONE = "undone", "已撤销"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    issue = models.ForeignKey(
        Issue, verbose_name="期", null=True, on_delete=models.SET_NULL, related_name="import_batches"
    )
    # Every issue the batch's stories are on; ``issue`` is set only when that is one issue.
    issues = models.ManyToManyField(Issue, verbose_name="涉及各期", blank=True, related_name="touching_batches")
    files = models.JSONField("文件", default=list, encoder=BodyEncoder)
    created_count = models.PositiveIntegerField("新建", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    state = models.CharField("状态", max_length=10, choices=State, default=State.APPLIED)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The upload it was made from: one upload makes one batch, however often its import is run.
    upload = models.CharField("上传编号", max_length=64, unique=True, null=True, blank=True, editable=False)
    # What an undo left in place, and why: [{"story": pk, "headline": ..., "reason": ...}].
    kept = models.JSONField("撤销时保留的稿件", default=list, blank=True, encoder=BodyEncoder)
    # What it changed of printed pages, for its undo: {"pages": [{"page", "pdf", "sha256", "before"}],
    # "zones": [{"story", "page", "before", "after"}]} (services.pages).
    printed = models.JSONField("版面文件与区域", default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-pk"]
        permissions = [("import_bulletin", "可以批量导入和导出报纸各期")]

    def __str__(self):
        return f"导入批次 #{self.pk}"


class ImportedStory(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "新建"
        UPDATED = "updated", "更新"

    batch = models.ForeignKey(ImportBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(
        Story, verbose_name="稿件", null=True, on_delete=models.SET_NULL, related_name="import_items"
    )
    action = models.CharField("操作", max_length=10, choices=Action)
    # The story's version before this batch changed it: what undo restores.
    previous_version = models.ForeignKey(
        "reversion.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The story's ``updated_at`` before this batch changed it, and as the batch left it. Every save of a
    # story, of its credits or of its photos moves it on: a story whose value is no longer the one the
    # batch left was changed since, and undo asks before taking that back.
    updated_at_before = models.DateTimeField("导入前的修改时间", null=True, blank=True)
    updated_at_imported = models.DateTimeField("导入后的修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "批次稿件"
        verbose_name_plural = "批次稿件"

    def __str__(self):
        return f"{self.get_action_display()}：{self.story or '（已删除）'}"


class Job(models.Model):
    """A piece of long work done by a background worker: what, for whom, how far it got, how it ended.

    The worker moves it from queued to running to done or failed (``services/jobs.py``);
    how far a running job has got is kept beside it in the progress cache.
    """

    class Kind(models.TextChoices):
        PREVIEW = "preview", "导入预览"
        IMPORT = "import", "导入"
        UNDO = "undo", "撤销导入"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("工作", max_length=10, choices=Kind)
    state = models.CharField("状态", max_length=10, choices=State, default=State.QUEUED)
    # What makes two requests the same work: a second confirmation of one upload finds the first job.
    key = models.CharField("标识", max_length=100, unique=True)
    arguments = models.JSONField("参数", default=dict, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    batch = models.ForeignKey(
        ImportBatch, verbose_name="批次", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # What a person reads when it ends: the counts, or what went wrong, in Chinese.
    outcome = models.TextField("结果", blank=True)
    # A preview's reading: its rows and problems, as the preview page shows them.
    report = models.JSONField("预览", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台工作"
        verbose_name_plural = "后台工作"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="job_state_created")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def broken_off(self):
        """Running, yet silent for longer than working jobs ever are: its worker was stopped mid-way."""
        if self.state != self.State.RUNNING or self.started_at is None:
            return False
        return progress.silent_for(self.pk, self.started_at.timestamp()) > progress.stale_after()

    @property
    def can_run_again(self):
        """Failed or broken off: its work was all or nothing, so running it again is safe."""
        return self.state == self.State.FAILED or self.broken_off
