"""Newspaper pages laid out by a tool the PDF reader was never tuned on: Chromium printing HTML and CSS.

Each layout is a page of our own stories in the paper's genre (引题, headline, ——副题, 本报张掖讯,
通讯员 bylines, subheads, a 摄影报道 with its credit, 下转第2版 and 上接第1版), with its furniture
(page head with date and 第2版 版名, 责任编辑 line, folio), set another way each time: CSS
columns, a grid of boxed stories with rules, an L-shaped story, another face with headline sizes
varied. Chromium prints it at a broadsheet-like size (350 × 500 mm). What the reader must find
comes from what we wrote: each story's fields are what the page-text reader reads from the
story's text, and its zones are the rectangles its elements cover in the browser's layout
(getBoundingClientRect, as fractions of the page, origin top-left).
"""

import base64
import io
import random
from dataclasses import dataclass, field

PX_WIDTH, PX_HEIGHT = 1323, 1890  # 350 × 500 mm at 96 px to the inch
FACES = {
    "body": "WenQuanYi Zen Hei",
    "display": "WenQuanYi Zen Hei Sharp",
    "mono": "WenQuanYi Zen Hei Mono",
}
PAPER = "陇原政协报"


@dataclass
class Story:
    headline: str
    paragraphs: list[str]
    kicker: str = ""
    subheadline: str = ""
    subheads: dict[int, str] = field(default_factory=dict)  # paragraph index -> subhead before it
    photo: str = ""  # a photo report's caption, credit and all

    def text(self) -> str:
        """The story as a page text: what the reading of its PDF must equal."""
        lines = [self.kicker] if self.kicker else []
        lines.append(self.headline)
        lines += [f"——{self.subheadline}"] if self.subheadline else []
        lines += [self.photo] if self.photo else []
        for index, paragraph in enumerate(self.paragraphs):
            lines += [self.subheads[index]] if index in self.subheads else []
            lines.append(paragraph)
        return "\n\n".join(lines) + "\n"


@dataclass
class Layout:
    name: str
    page: int
    page_name: str
    stories: list[Story]
    html: str


# --- Our stories -------------------------------------------------------------------------------

PLACES = [
    ("张掖", "张掖市政协", "甘州区"),
    ("天水", "天水市政协", "麦积区"),
    ("白银", "白银市政协", "平川区"),
    ("民乐", "民乐县政协", "六坝镇"),
    ("渭源", "渭源县政协", "会川镇"),
    ("临洮", "临洮县政协", "玉井镇"),
    ("岷县", "岷县政协", "梅川镇"),
    ("永登", "永登县政协", "城关镇"),
]
TOPICS = [
    ("高效节水灌溉", "节水农业"),
    ("中药材产业", "道地药材"),
    ("城乡供水一体化", "农村饮水"),
    ("老旧小区改造", "城市更新"),
    ("职业教育", "技能人才"),
    ("文旅融合发展", "全域旅游"),
    ("冷链物流建设", "农产品流通"),
    ("黄河流域生态保护", "水土保持"),
]
OPENINGS = [
    "{date}，{body}组织部分委员深入{town}，就{topic}开展专题调研，实地察看项目建设和运行情况，"
    "听取有关部门和基层群众的意见建议。",
    "{date}，{body}召开{topic}专题协商会，邀请有关部门负责人和委员代表座谈交流，"
    "围绕{short}中的难点问题协商议政、建言献策。",
    "{date}，{body}组织委员视察{topic}工作，先后走访{town}的企业、合作社和村组，详细了解政策落实和群众受益情况。",
]
SENTENCES = [
    "委员们认为，近年来{short}工作取得明显成效，基础设施不断完善，群众获得感持续增强，但仍存在投入渠道单一、管护机制不健全等问题。",
    "调研组建议，要坚持规划引领，统筹项目、资金和人才，加快补齐{short}短板，推动{topic}提质增效。",
    "与会委员结合各自调研情况，围绕{topic}提出了一批有分量的意见建议，有关部门现场作了回应。",
    "会议强调，要坚持问题导向，把协商成果转化为推动发展的具体举措，持续做好跟踪问效工作，让协商成果落地见效。",
    "座谈中，基层干部和群众代表谈变化、提建议，大家一致表示，要把好事办好、实事办实，让群众得到更多实惠。",
    "视察组指出，要加强部门协同，完善考核评价机制，形成工作合力，确保各项任务按期完成、取得实效。",
    "下一步，{body}将持续关注{short}工作，组织委员开展跟踪视察，推动意见建议落到实处。",
]
SUBHEADS = ["聚焦群众关切", "协商议政见实效", "把脉问诊开良方", "委员在行动", "跟踪问效不停步"]
KICKERS = ["聚焦乡村振兴", "履职为民办实事", "{body}", "民主监督在基层"]
SUBHEADLINES = ["{body}开展{short}专题调研", "委员建言{short}工作", "{body}协商会侧记"]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴马苏", "立新晓梅建国文静春华志强海燕明远雪芳"
PHOTO_PLACES = ["山丹县的油菜花田", "临泽县的戈壁农业产业园", "渭源县的当归种植基地", "麦积山景区的游客服务中心"]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def make_story(
    rng,
    used,
    *,
    kicker=False,
    subheadline=False,
    subheads=0,
    paragraphs=4,
    byline="通讯员",
    continued_on=None,
    continued_from=None,
    trailing=False,
) -> Story:
    """One story of the trade: its dateline, byline and parts as the paper prints them."""
    while True:  # no two stories of a page under one headline: the reading is matched by headline
        place, body, town = rng.choice(PLACES)
        topic, short = rng.choice(TOPICS)
        action = rng.choice(["开展专题调研", "召开专题协商会", "开展民主监督视察", "组织委员视察"])
        headline = f"{body}{action}" if not kicker else f"{topic}{action.replace('开展', '')}"
        if headline not in used:
            used.add(headline)
            break
    words = {"body": body, "town": town, "topic": topic, "short": short}
    date = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    opening = rng.choice(OPENINGS).format(date=date, **words)
    if continued_from:
        first = f"（上接第{continued_from}版）" + rng.choice(SENTENCES).format(**words)
    elif byline == "记者":
        first = f"本报讯（记者 {_person(rng)}）{opening}"
    elif byline:
        names = " ".join(_person(rng) for _ in range(rng.randint(1, 2)))
        first = f"本报{place}讯（{byline} {names}）{opening}"
    else:
        first = f"本报{place}讯 {opening}"
    texts = [first] + [sentence.format(**words) for sentence in rng.sample(SENTENCES, paragraphs - 1)]
    if trailing:
        texts[-1] += f"（{_person(rng)}）"
    if continued_on:
        texts[-1] += f"（下转第{continued_on}版）"
    return Story(
        headline=headline,
        paragraphs=texts,
        kicker=rng.choice(KICKERS).format(**words) if kicker else "",
        subheadline=rng.choice(SUBHEADLINES).format(**words) if subheadline else "",
        subheads={index: SUBHEADS[(index + len(texts)) % len(SUBHEADS)] for index in range(2, 2 + 2 * subheads, 2)},
    )


def make_photo(rng, used) -> Story:
    """A photo report: a headline, the photo, its caption with the photographer's credit."""
    where = rng.choice([place for place in PHOTO_PLACES if f"走进{place.split('的')[0]}" not in used])
    used.add(f"走进{where.split('的')[0]}")
    date = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    return Story(
        headline=f"走进{where.split('的')[0]}",
        paragraphs=[],
        photo=f"{date}，政协委员在{where}了解生产经营情况。本报记者 {_person(rng)} 摄影报道",
    )


# --- The HTML ----------------------------------------------------------------------------------


def _png(width=300, height=200) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (120, 150, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(220, 200, 120))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _story_html(number: int, story: Story, *, columns=1, headline_px=30, part=None, style="") -> str:
    """A story as an <article data-story=N>; `part` = (first, last) paragraphs sets one part of it alone."""
    head = []
    if part is None or part[0] == 0:
        head += [f'<div class="kicker">{story.kicker}</div>'] if story.kicker else []
        head.append(
            f'<h1 style="font-size:{headline_px}px;line-height:{round(headline_px * 1.25)}px">{story.headline}</h1>'
        )
        head += [f'<div class="sub">——{story.subheadline}</div>'] if story.subheadline else []
        if story.photo:
            caption = story.photo
            head.append(f'<figure><img src="{_png()}" alt=""><figcaption>{caption}</figcaption></figure>')
    first, last = part or (0, len(story.paragraphs))
    body = []
    for index in range(first, last):
        body += [f"<h3>{story.subheads[index]}</h3>"] if index in story.subheads else []
        body.append(f"<p>{story.paragraphs[index]}</p>")
    cols = f' style="column-count:{columns}"' if columns > 1 else ""
    inner = "".join(head) + (f'<div class="body"{cols}>{"".join(body)}</div>' if body else "")
    return f'<article data-story="{number}" style="{style}">{inner}</article>'


def _page(page: int, page_name: str, content: str, *, css="", body_face="body", editors_on_top=True) -> str:
    date = "2024年6月28日 星期五"
    editors = "责任编辑：王晓燕 美术编辑：苏 婷"
    head_extra = f"<span>{editors}</span>" if editors_on_top else ""
    foot_extra = "" if editors_on_top else f"<span>{editors}</span>"
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: {PX_WIDTH}px {PX_HEIGHT}px; margin: 0 }}
* {{ box-sizing: border-box }}
body {{ margin: 0; width: {PX_WIDTH}px; height: {PX_HEIGHT}px; position: relative;
       font-family: "{FACES[body_face]}"; font-size: 15px; line-height: 24px }}
header {{ position: absolute; left: 60px; right: 60px; top: 36px; height: 70px; border-bottom: 2px solid #000;
          display: flex; justify-content: space-between; align-items: flex-end; padding-bottom: 8px }}
header b {{ font-family: "{FACES["display"]}"; font-size: 30px; font-weight: normal }}
header span {{ font-size: 14px }}
main {{ position: absolute; left: 60px; right: 60px; top: 126px; bottom: 80px }}
footer {{ position: absolute; left: 60px; right: 60px; bottom: 36px; border-top: 1px solid #000;
          display: flex; justify-content: space-between; font-size: 12px; padding-top: 4px }}
.kicker {{ text-align: center; font-size: 19px; line-height: 28px }}
h1 {{ font-family: "{FACES["display"]}"; font-weight: normal; text-align: center; margin: 2px 0 6px }}
.sub {{ text-align: center; font-size: 19px; line-height: 28px; margin-bottom: 8px }}
h3 {{ font-family: "{FACES["display"]}"; font-weight: normal; font-size: 16px; margin: 6px 0; text-align: center }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}
figure {{ margin: 0 0 8px }}
img {{ display: block; width: 100%; height: 260px; object-fit: cover }}
figcaption {{ font-size: 13px; line-height: 20px; margin-top: 4px }}
.body {{ column-gap: 22px; column-rule: 1px solid #000 }}
{css}
</style></head><body>
<header><span>第{page}版 {page_name}</span><b>{PAPER}</b><span>{date}</span>{head_extra}</header>
<main>{content}</main>
<footer><span>{PAPER} {date.split()[0]} 第{page}版 {page_name}</span>{foot_extra}</footer>
</body></html>"""


def columns_layout(rng) -> Layout:
    """CSS multi-column: a lead across the page in five columns, two stories side by side, a photo report."""
    used = set()
    stories = [
        make_story(rng, used, kicker=True, subheadline=True, subheads=1, paragraphs=6, continued_on=2),
        make_story(rng, used, paragraphs=4, trailing=True, byline=""),
        make_story(rng, used, kicker=True, paragraphs=3, byline="记者"),
        make_photo(rng, used),
        make_story(rng, used, paragraphs=3),
    ]
    content = (
        _story_html(0, stories[0], columns=5, headline_px=48, style="border-bottom:2px solid #000;padding-bottom:14px")
        + '<div class="row">'
        + _story_html(1, stories[1], columns=3, headline_px=32, style="flex:3")
        + _story_html(2, stories[2], columns=2, headline_px=30, style="flex:2")
        + "</div>"
        + '<div class="row">'
        + _story_html(3, stories[3], headline_px=28, style="flex:2")
        + _story_html(4, stories[4], columns=2, headline_px=28, style="flex:3")
        + "</div>"
    )
    css = """.row { display: flex; gap: 30px; margin-top: 16px; border-bottom: 1px solid #000; padding-bottom: 14px }
.row > article + article { border-left: 1px solid #000; padding-left: 30px }"""
    return Layout("columns", 1, "要闻", stories, _page(1, "要闻", content, css=css))


def boxes_layout(rng) -> Layout:
    """A grid of boxed stories: each story in a ruled box, some spanning two grid columns."""
    used = set()
    stories = [
        make_story(rng, used, kicker=True, paragraphs=5, subheads=1),
        make_story(rng, used, paragraphs=3, byline="记者"),
        make_photo(rng, used),
        make_story(rng, used, subheadline=True, paragraphs=4, trailing=True, byline=""),
        make_story(rng, used, paragraphs=3, continued_from=1),
        make_story(rng, used, kicker=True, paragraphs=3),
    ]
    spans = [(1, 3, 34, 2), (3, 4, 26, 1), (1, 2, 26, 1), (2, 4, 30, 2), (1, 3, 26, 2), (3, 4, 24, 1)]
    content = "".join(
        _story_html(number, story, columns=columns, headline_px=size, style=f"grid-column:{start}/{end}")
        for number, (story, (start, end, size, columns)) in enumerate(zip(stories, spans, strict=True))
    )
    css = """main { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; align-content: start }
article { border: 1px solid #000; padding: 12px 14px }"""
    return Layout("boxes", 2, "市县政协", stories, _page(2, "市县政协", f"{content}", css=css, editors_on_top=False))


def l_shape_layout(rng) -> Layout:
    """An L-shaped lead: across the page in four columns, then on down the left half beside two stories."""
    used = set()
    stories = [
        make_story(rng, used, kicker=True, subheadline=True, paragraphs=8, subheads=1),
        make_story(rng, used, paragraphs=3),
        make_photo(rng, used),
        make_story(rng, used, paragraphs=3, byline="记者", continued_on=4),
    ]
    lead = stories[0]
    content = (
        _story_html(0, lead, columns=4, headline_px=44, part=(0, 4))
        + '<div class="row"><div class="left">'
        + _story_html(0, lead, columns=2, part=(4, len(lead.paragraphs)))
        + '</div><div class="right">'
        + _story_html(1, stories[1], columns=2, headline_px=28)
        + _story_html(2, stories[2], headline_px=26)
        + "</div></div>"
        + _story_html(3, stories[3], columns=4, headline_px=30, style="border-top:2px solid #000;margin-top:16px")
    )
    css = """.row { display: flex; gap: 30px; margin-top: 6px }
.left { flex: 1 } .right { flex: 1; border-left: 1px solid #000; border-top: 1px solid #000; padding: 10px 0 0 30px }
.right article + article { border-top: 1px solid #000; margin-top: 14px; padding-top: 8px }"""
    return Layout("l-shaped", 3, "履职之窗", stories, _page(3, "履职之窗", content, css=css))


def faces_layout(rng) -> Layout:
    """Another face for the body (monospaced Zen Hei), bold headlines of very different sizes, column rules."""
    used = set()
    stories = [
        make_story(rng, used, kicker=True, subheadline=True, paragraphs=5, subheads=1),
        make_story(rng, used, paragraphs=4, trailing=True, byline=""),
        make_story(rng, used, kicker=True, paragraphs=3, byline="记者"),
        make_photo(rng, used),
        make_story(rng, used, paragraphs=4, continued_from=3),
    ]
    sizes = [62, 36, 24, 22, 28]
    columns = [3, 1, 1, 1, 2]
    content = (
        _story_html(0, stories[0], columns=columns[0], headline_px=sizes[0], style="grid-column:1/4")
        + "".join(
            _story_html(number, story, columns=columns[number], headline_px=sizes[number])
            for number, story in enumerate(stories[1:4], start=1)
        )
        + _story_html(4, stories[4], columns=columns[4], headline_px=sizes[4], style="grid-column:1/4")
    )
    css = """main { display: grid; grid-template-columns: repeat(3, 1fr); column-gap: 30px; row-gap: 20px;
       align-content: start }
h1 { font-family: "WenQuanYi Zen Hei"; font-weight: bold; text-align: left }
.kicker, .sub { text-align: left }
p { line-height: 26px }
article:nth-child(3), article:nth-child(4) { border-left: 1px solid #000; padding-left: 14px }
article:first-child, article:nth-child(4) { border-bottom: 1px solid #000; padding-bottom: 12px }"""
    return Layout("faces", 4, "委员风采", stories, _page(4, "委员风采", content, css=css, body_face="mono"))


LAYOUTS = [columns_layout, boxes_layout, l_shape_layout, faces_layout]


def layouts(seed=620) -> list[Layout]:
    rng = random.Random(seed)
    return [make(rng) for make in LAYOUTS]


# --- Printing ----------------------------------------------------------------------------------

ZONES_JS = """() => {
  const parts = {};
  for (const article of document.querySelectorAll('article[data-story]')) {
    const number = article.dataset.story;
    let box = null;
    for (const element of article.querySelectorAll('.kicker, h1, .sub, img, figcaption, h3, p')) {
      for (const r of element.getClientRects()) {
        if (!r.width || !r.height) continue;
        box = box ? [Math.min(box[0], r.left), Math.min(box[1], r.top), Math.max(box[2], r.right),
                     Math.max(box[3], r.bottom)] : [r.left, r.top, r.right, r.bottom];
      }
    }
    (parts[number] = parts[number] || []).push(box);
  }
  return parts;
}"""


def print_layout(browser, layout: Layout) -> tuple[bytes, list[list[tuple[float, float, float, float]]]]:
    """The page printed by Chromium, and each story's zones as laid out: [(x0, y0, x1, y1)] fractions, per story."""
    page = browser.new_page(viewport={"width": PX_WIDTH, "height": PX_HEIGHT})
    try:
        page.set_content(layout.html)
        page.emulate_media(media="print")
        parts = page.evaluate(ZONES_JS)
        data = page.pdf(width=f"{PX_WIDTH}px", height=f"{PX_HEIGHT}px", print_background=True)
    finally:
        page.close()
    zones = [
        [(x0 / PX_WIDTH, y0 / PX_HEIGHT, x1 / PX_WIDTH, y1 / PX_HEIGHT) for x0, y0, x1, y1 in parts[str(number)]]
        for number in range(len(layout.stories))
    ]
    return data, zones
