"""A synthetic archive of the paper at the size of the real one, for the benchmark.

``build_archive(stories=100_000)`` writes 101 regions, bureaus, 300
correspondents, 1,000 issues of 4–8 pages and the stories — about ten years of
them, nine in ten articles and one in ten photo reports, with credits, plus
drafts, scheduled and withdrawn stories — in batches of ``bulk_create``. The
text is made from phrases in the paper's manner (meetings, 调研, 视察, 协商),
from a seeded random generator, so the same call builds the same archive.

This is the one place that writes ``status`` and ``published_at`` directly,
without the workflow service: the archive is synthetic, a hundred thousand
trips through ``transition()`` would take hours, and nothing here pretends an
editor published them.
"""

import datetime
import hashlib
import io
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from newsroom import body as story_body
from newsroom import images
from newsroom.models import (
    Bureau,
    Correspondent,
    Credit,
    Issue,
    Page,
    PageImage,
    Photo,
    Region,
    Rendition,
    Story,
    Zone,
)
from newsroom.services.regions import load_regions

STORIES = 100_000
CORRESPONDENTS = 300
ISSUES = 1_000
YEARS = 10
BATCH = 2_000
SEED = 20261120
PHOTO_SHARE = 0.10
PAPER_TZ = ZoneInfo("Asia/Shanghai")
PHOTO_NAME = "photos/bench/bench-photo.jpg"
# Every page of the archive is printed from this one PDF, and shows these images of it (数字报).
PAGE_PDF_NAME = "pages/bench/bench-page.pdf"
PAGE_PDF = b"%PDF-1.4\n% the benchmark's printed page\n"
PAGE_SOURCE = hashlib.sha256(PAGE_PDF).hexdigest()
PAGE_WIDTHS = (480, 960, 1600)
PAGE_SIZE = (1600, 2263)  # A3 upright
# The size the archive's photos say they are: a camera's picture, made into every rendition readers get.
PHOTO_SIZE = (1600, 1200)

# Words a reader searches for, each in the vocabulary below: the benchmark's
# search pages use them, and the archive's test checks they are found.
SEARCH_WORD_2 = "养老"
SEARCH_WORD_4 = "防沙治沙"
# Two words, both in many stories (居家社区养老服务, 农村养老服务体系建设): each story must hold both.
SEARCH_TWO_WORDS = "养老 服务"

# Prefectures that file more than others, as a real paper's bureaus do.
PREFECTURE_WEIGHT = {"lanzhou": 6, "tianshui": 4, "dingxi": 4, "zhangye": 4, "pingliang": 3, "wuwei": 3, "baiyin": 3}

TOPICS = [
    "居家社区养老服务",
    "农村养老服务体系建设",
    "防沙治沙和沙产业发展",
    "防沙治沙成果巩固",
    "农业高效节水",
    "职业教育产教融合",
    "中药材产业发展",
    "乡村全面振兴",
    "文旅融合发展",
    "优化营商环境",
    "黄河流域生态保护和高质量发展",
    "基层协商议事",
    "马铃薯产业链建设",
    "城乡供水保障",
    "义务教育优质均衡发展",
    "县域医疗卫生共同体建设",
    "非物质文化遗产保护传承",
    "林果产业提质增效",
    "冷链物流体系建设",
    "新能源产业发展",
    "数字经济发展",
    "高标准农田建设",
    "祁连山生态环境保护",
    "河湖长制落实",
    "老旧小区改造",
    "食品安全监管",
    "民族团结进步创建",
    "招商引资",
    "草畜产业发展",
    "文物保护利用",
    "全民健身设施建设",
    "农村人居环境整治",
    "高校毕业生就业创业",
    "残疾人权益保障",
    "城市更新行动",
    "戈壁生态农业发展",
    "红色文化资源保护利用",
    "中小学课后服务",
    "旱作农业技术推广",
    "电商助农和农产品销售",
]

SECTORS = ["农业", "经济", "教育", "医卫", "科技", "文化艺术", "社会福利", "工商联", "民主党派", "少数民族"]
PLACES = ["部分乡镇", "企业和合作社", "社区和村组", "产业园区", "学校和医院", "项目建设现场", "示范基地"]
ROLES_ = ["主席", "副主席", "秘书长", "党组书记、主席"]
COUNCIL_EVENTS = [
    "常委会议",
    "主席会议",
    "党组会议",
    "党组理论学习中心组学习会议",
    "全体委员会议",
    "专题议政性常委会议",
]

HEADLINES = [
    "调研{topic}工作",
    "视察{topic}情况",
    "就{topic}开展专题协商",
    "围绕{topic}建言献策",
    "开展{topic}民主监督",
    "召开{topic}专题协商议政会议",
    "委员深入基层调研{topic}",
    "召开{topic}重点提案办理协商会",
    "以{topic}为题开展协商式监督",
]
EVENT_HEADLINES = ["召开{event}", "召开{event}暨主席会议", "举行{event}"]
PHOTO_HEADLINES = [
    "{sector}界委员开展义诊活动",
    "委员走进{topic}一线",
    "{sector}界委员送科技下乡",
    "委员视察{topic}",
    "政协委员与群众面对面话{topic}",
]

OPENINGS = [
    "{date}，{org}组织部分委员深入{place}，就{topic}情况开展专题调研。",
    "{date}，{org}{role}带领视察组，对全{unit}{topic}工作进行视察。",
    "{date}，{org}召开{topic}专题协商议政会议，{unit}委、{unit}政府有关负责同志到会听取意见。",
    "{date}，{org}召开{event}，传达学习上级有关会议和文件精神，研究安排近期重点工作。",
    "为助推{topic}，{date}，{org}组织{sector}界委员赴{place}开展调研。",
]
MIDDLES = [
    "调研组先后来到{place}，实地察看{topic}推进情况，听取相关部门情况介绍，并与基层干部群众座谈交流。",
    "视察组一行详细了解了项目建设、资金使用和群众受益等情况，对取得的成效给予肯定。",
    "座谈会上，委员们结合各自界别和调研所得，围绕{topic}中的难点堵点踊跃发言，提出了许多有针对性的意见建议。",
    "会议听取了{unit}有关部门关于{topic}工作情况的通报，与会委员围绕存在的问题进行了协商讨论。",
    "近年来，{unit}把{topic}作为惠民生、促发展的重要抓手，出台了一系列政策措施，取得了明显成效。",
    "委员们认为，{topic}基础条件不断改善，但仍存在投入渠道单一、专业人才不足、长效机制不健全等问题。",
    "据了解，今年以来全{unit}已累计实施相关项目{n}个，带动周边群众{m}余人增收。",
    "调研中，委员们走进田间地头和车间班组，面对面倾听群众呼声，掌握了大量第一手资料。",
]
SUGGESTIONS = [
    "调研组建议，要坚持问题导向，统筹用好各方资源，加快补齐{topic}的短板弱项。",
    "视察组指出，要压实部门责任，完善考核评价机制，推动{topic}各项任务落地见效。",
    "会议强调，要深入学习贯彻党的二十大精神，把牢政治方向，以高质量履职服务高质量发展。",
    "委员们建议，要加大政策扶持和资金投入力度，引导社会力量广泛参与，形成推动{topic}的工作合力。",
    "要深化调查研究，在摸清症结上下功夫，提出可操作、能落地的意见建议，为党委政府科学决策提供参考。",
    "要发挥专门协商机构作用，做实协商议政文章，广泛凝聚共识，为{topic}贡献政协智慧和力量。",
    "要健全跟踪问效机制，推动调研成果转化为具体举措，让群众有实实在在的获得感。",
]
CLOSINGS = [
    "{unit}有关部门负责同志表示，将认真研究吸纳委员们提出的意见建议，推动相关工作取得新进展。",
    "{org}有关负责人表示，下一步将持续跟踪关注{topic}，推动更多委员走进基层一线履职尽责。",
    "会议还研究了其他事项。",
]
SUBHEADS = [
    "把协商平台搭到群众身边",
    "在调研中找准症结",
    "让建议落地见效",
    "凝聚共识 汇聚力量",
    "委员履职在一线",
    "以监督推动落实",
    "建言献策谋发展",
    "问计于民 问需于民",
]
CAPTIONS = [
    "{date}，{org}组织{sector}界委员在{place}开展“送服务下基层”活动，为群众答疑解惑。图为委员们与群众交流。",
    "{date}，{org}组织委员视察{topic}情况。图为视察组在现场察看。",
    "{date}，{org}{sector}界委员走进{place}，了解{topic}进展。图为委员们在听取介绍。",
]
PAGE_NAMES = ["要闻", "市县政协", "委员风采", "图片新闻", "协商议政", "理论研究", "文史天地", "民生关注"]
WITHDRAWN_REASONS = ["稿件重复刊发，撤下。", "所涉数据有误，待核实后重发。"]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
GIVEN = (
    "明华建国军文斌杰丽静敏强磊洋艳勇伟芳娜涛超秀英霞平刚桂兰玉珍"
    "凤志红宏海波宁晓东瑞峰雪梅慧婷博鹏飞亮春燕子涵佳欣浩然德福永清"
)
TITLE_WEIGHTS = [
    (Correspondent.Title.CORRESPONDENT, 70),
    (Correspondent.Title.REPORTER, 12),
    (Correspondent.Title.SPECIAL_CORRESPONDENT, 10),
    (Correspondent.Title.PHOTOGRAPHER, 5),
    (Correspondent.Title.TRAINEE, 3),
]


@dataclass
class ArchiveSummary:
    stories: int = 0
    drafts: int = 0
    scheduled: int = 0
    withdrawn: int = 0
    credits: int = 0
    photos: int = 0
    renditions: int = 0
    page_images: int = 0
    zones: int = 0
    issues: int = 0
    pages: int = 0
    correspondents: int = 0
    bureaus: int = 0
    regions: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)


def issues_for(stories):
    """1,000 issues for the full archive; fewer for a small one, so an issue holds about as many stories."""
    return max(10, min(ISSUES, stories // 100))


def clear_archive():
    """Empty the paper's tables, and whatever refers to them, but the regions (loading them again changes nothing)."""
    existing = set(connection.introspection.table_names())
    models = [model for model in apps.get_app_config("newsroom").get_models() if model is not Region]
    tables = [model._meta.db_table for model in models if model._meta.db_table in existing]
    # Cascade: rows that other tables keep about stories (renditions, revisions…) go with them.
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while foreign-key checks of this transaction are still pending.
            connection.check_constraints()
        for sql in statements:
            cursor.execute(sql)


def build_archive(
    stories=STORIES,
    *,
    drafts=None,
    correspondents=CORRESPONDENTS,
    issues=None,
    years=YEARS,
    seed=SEED,
    batch=BATCH,
    today=None,
    progress=None,
):
    """Write a whole archive into empty tables; returns an ``ArchiveSummary``.

    ``stories`` published stories, plus ``drafts`` (default one in twenty) that
    readers must not see: drafts, stories awaiting review or approved, some
    scheduled for later and some withdrawn.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    rng = random.Random(seed)
    drafts = max(10, stories // 20) if drafts is None else drafts
    issues = issues_for(stories) if issues is None else issues
    today = today or timezone.localdate()
    summary = ArchiveSummary()

    def phase(name, since):
        summary.phases[name] = round(time.perf_counter() - since, 2)
        say(f"{name}: {summary.phases[name]:.1f} s")
        return time.perf_counter()

    mark = time.perf_counter()
    load_regions()
    regions = list(Region.objects.select_related("parent"))
    summary.regions = len(regions)
    bureaus = _make_bureaus(rng, regions)
    summary.bureaus = len(bureaus)
    people = _make_correspondents(rng, correspondents, bureaus)
    summary.correspondents = len(people)
    issue_rows, pages_of = _make_issues(rng, issues, years, today)
    summary.issues = len(issue_rows)
    summary.pages = sum(len(numbers) for numbers in pages_of.values())
    mark = phase("regions, bureaus, correspondents, issues", mark)

    writer = _StoryWriter(rng, regions, bureaus, people, issue_rows, pages_of, years, today, batch)
    writer.published(stories)
    mark = phase(f"{stories} published stories", mark)
    writer.unpublished(drafts)
    writer.flush()
    mark = phase(f"{drafts} unpublished stories", mark)
    summary.page_images, summary.zones = _print_pages(batch)
    mark = phase("page images and zones", mark)

    summary.stories = stories
    summary.drafts, summary.scheduled, summary.withdrawn = writer.drafts, writer.scheduled, writer.withdrawn
    summary.credits, summary.photos = writer.credit_count, writer.photo_count
    summary.renditions = writer.rendition_count
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def analyze():
    """Fresh statistics and visibility map after a bulk load, as autovacuum would give a settled database."""
    models = (Region, Bureau, Correspondent, Issue, Page, PageImage, Zone, Story, Credit, Photo, Rendition)
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


def _make_bureaus(rng, regions):
    """A bureau in every prefecture and in about a third of the counties."""
    rows = [
        Bureau(region=region)
        for region in regions
        if region.level == Region.Level.PREFECTURE or (region.level == Region.Level.COUNTY and rng.random() < 0.35)
    ]
    Bureau.objects.bulk_create(rows, batch_size=BATCH)
    return {bureau.region_id: bureau for bureau in Bureau.objects.select_related("region")}


def _unique_names(rng, count):
    names = set()
    while len(names) < count:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        names.add(rng.choice(SURNAMES) + given)
    return sorted(names)


def _make_correspondents(rng, count, bureaus):
    titles, weights = zip(*TITLE_WEIGHTS, strict=True)
    bureau_list = list(bureaus.values())
    rows = []
    for name in _unique_names(rng, count):
        title = rng.choices(titles, weights)[0]
        bureau = rng.choice(bureau_list) if rng.random() < 0.85 else None
        if bureau is None:
            unit = "本报编辑部"
        elif title == Correspondent.Title.CORRESPONDENT:
            unit = f"{bureau.region.name}政协办公室"
        else:
            unit = f"本报{bureau.place}记者站"
        rows.append(Correspondent(name=name, title=title, unit=unit, bureau=bureau))
    Correspondent.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _make_issues(rng, count, years, today):
    """Issues evenly over ``years`` up to yesterday, numbered 1 to ``count``, each with 4–8 pages."""
    span = (years * 365) - 1
    newest = today - datetime.timedelta(days=1)
    rows = [
        Issue(number=number, date=newest - datetime.timedelta(days=round((count - number) * span / max(count - 1, 1))))
        for number in range(1, count + 1)
    ]
    Issue.objects.bulk_create(rows, batch_size=BATCH)
    pages, pages_of = [], {}
    for issue in rows:
        numbers = list(range(1, rng.randint(4, 8) + 1))
        pages_of[issue.pk] = numbers
        pages.extend(Page(issue=issue, number=number, name=PAGE_NAMES[number - 1]) for number in numbers)
    Page.objects.bulk_create(pages, batch_size=BATCH)
    return rows, pages_of


def _print_pages(batch):
    """Every page printed (数字报): the shared PDF and its images, and each story with an issue a zone on its page.

    The stories of a page are stacked down it, a strip each, as a page's zones are read from
    its PDF; every page shows the same few files, as every photo does. Returns (images, zones).
    """
    storage = PageImage._meta.get_field("file").storage
    if not storage.exists(PAGE_PDF_NAME):
        storage.save(PAGE_PDF_NAME, ContentFile(PAGE_PDF))
    files = []
    for width in PAGE_WIDTHS:
        height = round(PAGE_SIZE[1] * width / PAGE_SIZE[0])
        for image_format in images.FORMATS:
            name = f"pages/bench/bench-page-{width}.{images.RENDITION_EXTENSIONS[image_format]}"
            if not storage.exists(name):
                buffer = io.BytesIO()
                Image.new("RGB", (width, height), (250, 248, 240)).save(buffer, image_format.upper())
                storage.save(name, ContentFile(buffer.getvalue()))
            files.append((image_format, width, height, name, storage.size(name)))
    pages = {(issue, number): pk for pk, issue, number in Page.objects.values_list("pk", "issue", "number")}
    Page.objects.update(pdf=PAGE_PDF_NAME, pdf_sha256=PAGE_SOURCE)
    rows = [
        PageImage(
            page_id=pk, source=PAGE_SOURCE, width=width, height=height, format=image_format, file=name, filesize=size
        )
        for pk in pages.values()
        for image_format, width, height, name, size in files
    ]
    PageImage.objects.bulk_create(rows, batch_size=batch)
    placed = Story.objects.filter(issue__isnull=False, page__isnull=False).order_by("issue", "page", "position", "pk")
    zones, on_page, last = [], 0, None
    for pk, issue, number in placed.values_list("pk", "issue", "page").iterator(chunk_size=batch):
        on_page = on_page + 1 if (issue, number) == last else 0
        last = (issue, number)
        top = 0.05 + (on_page % 18) * 0.05
        zones.append(Zone(story_id=pk, page_id=pages[issue, number], x=0.04, y=top, w=0.92, h=0.045, position=on_page))
        if len(zones) >= batch:
            Zone.objects.bulk_create(zones, batch_size=batch)
            zones = []
    Zone.objects.bulk_create(zones, batch_size=batch)
    return len(rows), Zone.objects.count()


def _shared_photo():
    """One JPEG, on the storage photos are kept in, that every photo row of the archive points at."""
    storage = Photo._meta.get_field("image").storage
    width, height = PHOTO_SIZE
    if not storage.exists(PHOTO_NAME):
        buffer = io.BytesIO()
        Image.new("RGB", PHOTO_SIZE, (180, 140, 90)).save(buffer, "JPEG")
        storage.save(PHOTO_NAME, ContentFile(buffer.getvalue()))
    return PHOTO_NAME, width, height


def _shared_renditions():
    """[(format, width, height, name, bytes)]: one small file for each rendition a photo of PHOTO_SIZE gets.

    Every photo's rendition rows point at these, as every photo row points at one original: pages
    list and link renditions as they would in a real archive, without a hundred thousand files.
    """
    storage = Rendition._meta.get_field("file").storage
    width, height = PHOTO_SIZE
    made = []
    for rendition_width in images.planned_widths(width):
        rendition_height = round(height * rendition_width / width)
        for image_format in images.FORMATS:
            name = f"photos/bench/bench-{rendition_width}.{images.RENDITION_EXTENSIONS[image_format]}"
            if not storage.exists(name):
                buffer = io.BytesIO()
                Image.new("RGB", (rendition_width, rendition_height), (180, 140, 90)).save(buffer, image_format.upper())
                storage.save(name, ContentFile(buffer.getvalue()))
            made.append((image_format, rendition_width, rendition_height, name, storage.size(name)))
    return made


class _StoryWriter:
    """Makes stories and their credits and photos, and writes them a batch at a time."""

    def __init__(self, rng, regions, bureaus, people, issues, pages_of, years, today, batch):
        self.rng = rng
        self.bureaus = bureaus
        self.people = people
        self.issues = issues
        self.pages_of = pages_of
        self.today = today
        self.batch = batch
        self.start = today - datetime.timedelta(days=years * 365)
        self.province = next(region for region in regions if region.level == Region.Level.PROVINCE)
        prefectures = [region for region in regions if region.level == Region.Level.PREFECTURE]
        self.prefectures = prefectures
        self.weights = [PREFECTURE_WEIGHT.get(region.slug, 2) for region in prefectures]
        self.counties = {region.pk: [] for region in prefectures}
        for region in regions:
            if region.level == Region.Level.COUNTY:
                self.counties[region.parent_id].append(region)
        self.by_bureau = {}
        for person in people:
            self.by_bureau.setdefault(person.bureau_id, []).append(person)
        self.photographers = [person for person in people if person.title == Correspondent.Title.PHOTOGRAPHER] or people
        self.photo = None
        self.renditions = None
        self.pending = []
        self.credit_count = self.photo_count = self.rendition_count = 0
        self.drafts = self.scheduled = self.withdrawn = 0

    # What is written

    def published(self, count):
        """``count`` published stories, spread over the issues; a few web-only ones have no issue."""
        per_issue, extra = divmod(count, len(self.issues))
        made = 0
        for index, issue in enumerate(self.issues):
            for position in range(per_issue + (1 if index < extra else 0)):
                if self.rng.random() < 0.03:
                    story = self._story(issue=None)
                    day = self.start + datetime.timedelta(days=self.rng.randrange((self.today - self.start).days))
                    story.published_at = self._at(day, self.rng.randrange(8 * 60, 22 * 60))
                else:
                    story = self._story(issue=issue, position=position)
                    story.published_at = self._at(issue.date, 6 * 60 + position)
                story.status = Story.Status.PUBLISHED
                self._add(story)
                made += 1
        assert made == count

    def unpublished(self, count):
        now = timezone.now()
        for number in range(count):
            story = self._story(issue=None)
            roll = number % 20
            if roll < 3:
                # Scheduled: published, with a time still to come.
                story.status = Story.Status.PUBLISHED
                story.published_at = now + datetime.timedelta(days=1 + self.rng.randrange(30))
                self.scheduled += 1
            elif roll < 6:
                story.status = Story.Status.WITHDRAWN
                story.published_at = now - datetime.timedelta(days=1 + self.rng.randrange(300))
                story.withdrawn_reason = self.rng.choice(WITHDRAWN_REASONS)
                self.withdrawn += 1
            else:
                story.status = [Story.Status.DRAFT, Story.Status.SUBMITTED, Story.Status.APPROVED][roll % 3]
                self.drafts += 1
            self._add(story)

    def flush(self):
        if not self.pending:
            return
        stories = [story for story, _, _ in self.pending]
        for story, people, _ in self.pending:
            story.search_text = story.compose_search_text([person.name for person, _ in people])
            story.char_count = story.count_characters()
        with transaction.atomic():
            Story.objects.bulk_create(stories, batch_size=self.batch)
            credits, photos = [], []
            for story, people, contribution in self.pending:
                for position, (person, title) in enumerate(people):
                    credits.append(
                        Credit(
                            story_id=story.pk,
                            correspondent_id=person.pk,
                            title=title,
                            contribution=contribution,
                            position=position,
                        )
                    )
                if story.kind == Story.Kind.PHOTO:
                    photos.append(self._photo_row(story, people))
            Credit.objects.bulk_create(credits, batch_size=self.batch)
            Photo.objects.bulk_create(photos, batch_size=self.batch)
            if photos and self.renditions is None:
                self.renditions = _shared_renditions()
            renditions = [
                Rendition(
                    photo_id=photo.pk,
                    source=photo.image.name,
                    width=width,
                    height=height,
                    format=image_format,
                    file=name,
                    filesize=size,
                )
                for photo in photos
                for image_format, width, height, name, size in self.renditions
            ]
            Rendition.objects.bulk_create(renditions, batch_size=self.batch)
        self.credit_count += len(credits)
        self.photo_count += len(photos)
        self.rendition_count += len(renditions)
        self.pending = []

    # How a story is made

    def _add(self, story):
        kind = Credit.Contribution.PHOTO if story.kind == Story.Kind.PHOTO else Credit.Contribution.TEXT
        self.pending.append((story, self._credits(story, kind), kind))
        if len(self.pending) >= self.batch:
            self.flush()

    def _at(self, day, minutes):
        return datetime.datetime.combine(day, datetime.time(minutes // 60 % 24, minutes % 60), tzinfo=PAPER_TZ)

    def _story(self, issue, position=0):
        rng = self.rng
        region, bureau = self._place()
        words = self._words(region, issue)
        kind = Story.Kind.PHOTO if rng.random() < PHOTO_SHARE else Story.Kind.ARTICLE
        story = Story(
            kind=kind,
            bureau=bureau,
            region=region,
            issue=issue,
            position=position,
            event_date=words["day"],
        )
        if issue is not None:
            pages = self.pages_of[issue.pk]
            story.page = 4 if kind == Story.Kind.PHOTO and 4 in pages else rng.choice(pages)
        if kind == Story.Kind.PHOTO:
            story.headline = rng.choice(PHOTO_HEADLINES).format(**words)
            story.body = story_body.make([("paragraph", rng.choice(CAPTIONS).format(**words))])
            return story
        feature = rng.random() < 0.15
        if region.level == Region.Level.PROVINCE:
            story.headline = "省政协" + self._headline(words)
        elif rng.random() < 0.7:
            story.kicker = words["org"]
            story.headline = self._headline(words)
        else:
            story.headline = words["org"] + self._headline(words)
        if feature:
            story.subheadline = f"{words['org']}助推{words['topic']}工作纪实"
            if story.page == 1 and rng.random() < 0.5 and len(self.pages_of[issue.pk]) > 1:
                story.continued_on_page = rng.choice(self.pages_of[issue.pk][1:])
        story.body = story_body.make(self._body(words, feature))
        return story

    def _place(self):
        """A region and, when the story came through one, its bureau (None is 本报讯)."""
        rng = self.rng
        if rng.random() < 0.08:
            return self.province, None
        prefecture = rng.choices(self.prefectures, self.weights)[0]
        counties = self.counties[prefecture.pk]
        region = rng.choice(counties) if counties and rng.random() < 0.6 else prefecture
        bureau = self.bureaus.get(region.pk) or self.bureaus.get(prefecture.pk)
        if rng.random() < 0.1:
            bureau = None
        return region, bureau

    def _words(self, region, issue):
        rng = self.rng
        if issue is not None:
            day = issue.date - datetime.timedelta(days=rng.randrange(1, 8))
        else:
            day = self.start + datetime.timedelta(days=rng.randrange(max((self.today - self.start).days, 1)))
        if region.level == Region.Level.PROVINCE:
            org, unit = "省政协", "省"
        else:
            org, unit = f"{region.name}政协", region.name[-1]
        places = self.counties.get(region.pk) or []
        place = f"{rng.choice(places).name}{rng.choice(PLACES)}" if places else rng.choice(PLACES)
        return {
            "day": day,
            "date": f"{day.month}月{day.day}日",
            "org": org,
            "unit": unit,
            "place": place,
            "topic": rng.choice(TOPICS),
            "sector": rng.choice(SECTORS),
            "role": rng.choice(ROLES_),
            "event": rng.choice(COUNCIL_EVENTS),
            "n": rng.randrange(3, 60),
            "m": rng.randrange(2, 90) * 100,
        }

    def _headline(self, words):
        if self.rng.random() < 0.2:
            return self.rng.choice(EVENT_HEADLINES).format(**words)
        return self.rng.choice(HEADLINES).format(**words)

    def _paragraph(self, pools, words, sentences):
        return "".join(self.rng.choice(self.rng.choice(pools)).format(**words) for _ in range(sentences))

    def _body(self, words, feature):
        rng = self.rng
        blocks = [("paragraph", rng.choice(OPENINGS).format(**words) + self._paragraph([MIDDLES], words, 2))]
        if feature:
            for subhead in rng.sample(SUBHEADS, rng.randint(2, 3)):
                blocks.append(("subhead", subhead))
                for _ in range(rng.randint(2, 3)):
                    blocks.append(("paragraph", self._paragraph([MIDDLES, SUGGESTIONS], words, rng.randint(3, 5))))
        else:
            for _ in range(rng.randint(0, 2)):
                blocks.append(("paragraph", self._paragraph([MIDDLES, SUGGESTIONS], words, rng.randint(2, 4))))
        blocks.append(("paragraph", self._paragraph([SUGGESTIONS], words, 2) + rng.choice(CLOSINGS).format(**words)))
        return blocks

    def _credits(self, story, contribution):
        """[(correspondent, printed title)]: one to three people, mostly of the story's bureau."""
        rng = self.rng
        if contribution == Credit.Contribution.PHOTO:
            pool = self.by_bureau.get(story.bureau_id) or self.photographers
        else:
            pool = self.by_bureau.get(story.bureau_id) or self.people
        wanted = rng.choices((1, 2, 3), (70, 25, 5))[0]
        chosen = rng.sample(pool, min(wanted, len(pool)))
        if len(chosen) < wanted:
            chosen += rng.sample([p for p in self.people if p not in chosen], wanted - len(chosen))
        if rng.random() < 0.05:
            return []
        # One in ten prints the name alone at the end, as in "(李岩)".
        bare = contribution == Credit.Contribution.TEXT and rng.random() < 0.1
        return [(person, "" if bare else person.title) for person in chosen]

    def _photo_row(self, story, people):
        if self.photo is None:
            self.photo = _shared_photo()
        name, width, height = self.photo
        photographer, title = people[0] if people else (None, "")
        caption = story.body[0]["text"]
        return Photo(
            story_id=story.pk,
            image=name,
            width=width,
            height=height,
            caption=caption,
            alt=story.headline[:200],
            photographer=photographer,
            photographer_title=title,
        )
