"""Page PDFs of our own, laid out at test time by two different tools.

The same page — a page head, a kicker over a headline, a kicker before a colon, datelines
with and without bylines, a trailing byline, a subhead, a story continued on page 2, a photo
with its caption and credit, a folio — is set once with reportlab (every line placed by us,
one text run per line) and once by Chromium from HTML (its own line breaking, CSS columns,
justification). Each returns the PDF and each story's rectangle as laid out, as fractions
of the page, origin top-left: (x0, y0, x1, y1).
"""

import base64
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def needs_font():
    """The pages are set in this Chinese font: CI installs it (.ci/run) and fails without it; elsewhere, a skip."""
    import pytest

    if FONT_FILE.exists():
        return
    message = f"the test pages are set in {FONT_FILE}: apt-get install fonts-wqy-zenhei"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


BODY_FACE = "WenQuanYi Zen Hei"  # subfont 0 of the collection
DISPLAY_FACE = "WenQuanYi Zen Hei Sharp"  # subfont 1: headlines and subheads, as papers set them in another face


@dataclass
class Story:
    headline: str
    paragraphs: list[str]
    kicker: str = ""
    subheads: dict[int, str] = field(default_factory=dict)  # paragraph index -> subhead before it
    photo: bool = False


STORIES = [
    Story(
        kicker="临洮县政协",
        headline="开展乡村振兴专题视察",
        paragraphs=[
            "本报临洮讯(通讯员 马文军)7月3日，临洮县政协组织部分委员深入玉井镇、八里铺镇，"
            "就乡村振兴重点项目推进情况开展专题视察。委员们实地察看了高原夏菜种植基地、"
            "农产品冷链物流中心和村级集体经济项目，详细了解项目建设、带农增收等情况。",
            "视察组指出，要立足资源禀赋，做强特色产业，完善利益联结机制，让群众在产业发展中"
            "得到更多实惠。要加强项目管理，确保资金使用规范高效，推动乡村振兴各项任务落地见效。",
        ],
    ),
    Story(
        headline="岷县政协：推动中药材产业提质增效",
        paragraphs=[
            "本报岷县讯 7月5日，岷县政协召开中药材产业发展专题协商会，围绕当归种植、"
            "加工转化和品牌建设协商议政。与会委员结合调研情况，提出了建设标准化种植基地、"
            "培育龙头企业、拓展线上销售渠道等意见建议。",
            "会议强调，要坚持品质立业，加强道地药材保护，延伸产业链条，提升岷县当归的"
            "市场竞争力，助力群众持续增收。(赵一鸣)",
        ],
    ),
    Story(
        headline="让协商成果转化为发展实效",
        paragraphs=[
            "本报讯(记者 刘晓东)今年以来，省政协坚持把协商成果转化作为履职的落脚点，建立"
            "协商成果跟踪督办机制，推动一批事关群众切身利益的问题得到解决。各市州政协结合"
            "实际，探索形成了各具特色的协商议事方式。",
            "在白银，市政协围绕老旧小区改造开展协商，推动增设电梯、改造管网等项目落地；在"
            "张掖，市政协聚焦节水农业，推动高效节水灌溉面积持续扩大。",
            "下一步，省政协将继续完善协商成果采纳、落实和反馈机制，推动更多协商成果转化为"
            "惠民实事，为全省高质量发展凝聚智慧和力量。(下转第2版)",
        ],
        subheads={1: "聚焦群众关切"},
    ),
    Story(
        headline="漳县政协委员走进田间地头",
        paragraphs=["7月2日，漳县政协委员深入盐井镇，向种植户了解夏粮长势和农机服务情况。本报记者 王晓燕 摄"],
        photo=True,
    ),
    Story(
        kicker="天水市政协",
        headline="召开文旅融合发展座谈会",
        paragraphs=[
            "本报天水讯(通讯员 高磊 李娜)7月4日，天水市政协召开文旅融合发展座谈会，"
            "邀请部分委员和文旅企业负责人座谈交流，共商推动文化和旅游深度融合之策。",
            "与会人员围绕景区提质、非遗活化、夜间经济等提出建议，市政协将梳理形成专题报告，报送市委市政府参考。",
        ],
    ),
]

PAGE_HEAD = ("第1版 要闻", "陇原政协报", "2024年7月8日 星期一")
FOLIO = "陇原政协报 2024年7月8日 第1版 要闻"
# Under the head of the reportlab page only: the editors' line, furniture the page's editor is read from.
EDITORS = "责任编辑：马 琳 美术编辑：孙 悦"


def page_text() -> str:
    """The same page as the page-text reader would get it: what the PDF reading must equal."""
    lines = list(PAGE_HEAD)
    for story in STORIES:
        lines += [story.kicker] if story.kicker else []
        lines.append(story.headline)
        for index, paragraph in enumerate(story.paragraphs):
            if index in story.subheads:
                lines.append(story.subheads[index])
            lines.append(paragraph)
    return "\n\n".join(lines) + "\n"


# --- reportlab: we place every line -----------------------------------------------------------

WIDTH, HEIGHT = 842.0, 1191.0  # A3, points
MARGIN = 40.0
GUTTER = 14.0
BODY = 10.5
LEADING = 16.0

# Story boxes on a grid: (column from, column to) of three page columns, and the row.
GRID = [(0, 2, 0), (2, 3, 0), (0, 3, 1), (0, 1, 2), (1, 3, 2)]
TEXT_COLUMNS = [2, 2, 3, 1, 2]
ROW_TOPS = [100.0, 420.0, 760.0]


def reportlab_page() -> tuple[bytes, list[tuple[float, float, float, float]]]:
    from reportlab.lib.colors import Color
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Body", str(FONT_FILE), subfontIndex=0))
    pdfmetrics.registerFont(TTFont("Display", str(FONT_FILE), subfontIndex=1))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT))

    def text(x, top, words, font, size):
        pdf.setFont(font, size)
        pdf.drawString(x, HEIGHT - top - size * 0.88, words)

    def rule(x0, top, x1, bottom):
        pdf.setLineWidth(0.8)
        pdf.line(x0, HEIGHT - top, x1, HEIGHT - bottom)

    text(MARGIN, 48, PAGE_HEAD[0], "Display", 16)
    text(WIDTH / 2 - 50, 44, PAGE_HEAD[1], "Display", 20)
    text(WIDTH - MARGIN - 120, 50, PAGE_HEAD[2], "Body", 10)
    rule(MARGIN, 84, WIDTH - MARGIN, 84)
    column = (WIDTH - 2 * MARGIN - 2 * GUTTER) / 3
    zones = []
    for story, (first, last, row), count in zip(STORIES, GRID, TEXT_COLUMNS, strict=True):
        x0 = MARGIN + first * (column + GUTTER)
        x1 = MARGIN + last * (column + GUTTER) - GUTTER
        top = ROW_TOPS[row]
        y = top
        if story.kicker:
            width = pdfmetrics.stringWidth(story.kicker, "Body", 14)
            text((x0 + x1 - width) / 2, y, story.kicker, "Body", 14)
            y += 22
        size = 24  # a headline too long for its box breaks onto a second line
        rest = story.headline
        while rest:
            line = rest
            while pdfmetrics.stringWidth(line, "Display", size) > x1 - x0:
                line = line[:-1]
            width = pdfmetrics.stringWidth(line, "Display", size)
            text((x0 + x1 - width) / 2, y, line, "Display", size)
            rest = rest[len(line) :]
            y += size + 6
        y += 8
        if story.photo:
            pdf.setFillColor(Color(0.6, 0.6, 0.6))
            pdf.rect(x0, HEIGHT - y - 180, x1 - x0, 180, stroke=0, fill=1)
            pdf.setFillColor(Color(0, 0, 0))
            y += 190
        lines = _set_lines(story, (x1 - x0 - (count - 1) * GUTTER) / count, pdfmetrics.stringWidth)
        per_column = -(-len(lines) // count)
        bottom = y
        for index, (kind, words, indent) in enumerate(lines):
            col, line = divmod(index, per_column)
            left = x0 + col * ((x1 - x0 - (count - 1) * GUTTER) / count + GUTTER)
            font = "Display" if kind == "subhead" else "Body"
            text(left + indent, y + line * LEADING, words, font, BODY)
            bottom = max(bottom, y + line * LEADING + BODY)
            if col and line == 0:
                rule(left - GUTTER / 2, y, left - GUTTER / 2, y + per_column * LEADING - 4)
        zones.append((x0 / WIDTH, top / HEIGHT, x1 / WIDTH, bottom / HEIGHT))
        rule(x0, bottom + 10, x1, bottom + 10)
        if last < 3:
            rule(x1 + GUTTER / 2, top, x1 + GUTTER / 2, bottom)
    rule(MARGIN, HEIGHT - 40, WIDTH - MARGIN, HEIGHT - 40)
    text(MARGIN, HEIGHT - 34, FOLIO, "Body", 8)
    # Set last: reportlab splits a font into subsets in the order glyphs are first used, and the
    # reader tells display type by its font, so new glyphs first used up here would change the stories'.
    text(WIDTH - MARGIN - 180, 66, EDITORS, "Body", BODY)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), zones


def _set_lines(story: Story, width: float, measure) -> list[tuple[str, str, float]]:
    """The story's body broken into lines of `width`: (kind, text, indent)."""
    lines = []
    for index, paragraph in enumerate(story.paragraphs):
        if index in story.subheads:
            lines.append(("subhead", story.subheads[index], 2 * BODY))
        indent = 2 * BODY
        line = ""
        for char in paragraph:
            if measure(line + char, "Body", BODY) > width - indent:
                lines.append(("body", line, indent))
                line, indent = "", 0.0
            line += char
        lines.append(("body", line, indent))
    return lines


# --- Chromium: the browser lays the page out ---------------------------------------------------

PX_WIDTH, PX_HEIGHT = 1123, 1588  # A3 at 96 px to the inch


def _png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (150, 160, 170)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def chromium_html() -> str:
    boxes = [(54, 110, 660, 0), (680, 110, 1070, 0), (54, 560, 1070, 3), (54, 1010, 360, 1), (380, 1010, 1070, 2)]
    parts = []
    for index, (story, (left, top, right, columns)) in enumerate(zip(STORIES, boxes, strict=True)):
        body = []
        for number, paragraph in enumerate(story.paragraphs):
            if number in story.subheads:
                body.append(f"<h3>{story.subheads[number]}</h3>")
            body.append(f"<p>{paragraph}</p>")
        photo = f'<img src="data:image/png;base64,{_png()}" alt="">' if story.photo else ""
        kicker = f'<div class="kicker">{story.kicker}</div>' if story.kicker else ""
        style = f"left:{left}px;top:{top}px;width:{right - left}px"
        cols = f' style="column-count:{columns or 2}"' if columns != 1 else ""
        parts.append(
            f'<article id="s{index}" style="{style}">{kicker}<h1>{story.headline}</h1>{photo}'
            f"<div class=body{cols}>{''.join(body)}</div></article>"
        )
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: {PX_WIDTH}px {PX_HEIGHT}px; margin: 0 }}
body {{ margin: 0; font-family: "{BODY_FACE}"; font-size: 14px; line-height: 22px }}
header, footer {{ position: absolute; left: 54px; right: 53px; display: flex; justify-content: space-between }}
header {{ top: 30px; height: 50px; border-bottom: 1px solid black; align-items: center }}
footer {{ bottom: 30px; border-top: 1px solid black; font-size: 11px }}
header b {{ font-family: "{DISPLAY_FACE}"; font-size: 26px; font-weight: normal }}
article {{ position: absolute; border-bottom: 1px solid black; padding-bottom: 4px }}
.kicker {{ text-align: center; font-size: 18px; line-height: 26px }}
h1 {{ font-family: "{DISPLAY_FACE}"; font-weight: normal; font-size: 32px; line-height: 40px;
      text-align: center; margin: 0 0 12px }}
h3 {{ font-family: "{DISPLAY_FACE}"; font-weight: normal; font-size: 14px; margin: 0; text-align: center }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}
img {{ display: block; width: 100%; height: 220px; margin-bottom: 8px }}
.body {{ column-gap: 20px; column-rule: 1px solid black }}
</style></head><body>
<header><span>{PAGE_HEAD[0]}</span><b>{PAGE_HEAD[1]}</b><span>{PAGE_HEAD[2]}</span></header>
{"".join(parts)}
<footer>{FOLIO}</footer>
</body></html>"""


def chromium_page(browser) -> tuple[bytes, list[tuple[float, float, float, float]]]:
    """The page printed by Chromium (a Playwright browser), with each article's box as laid out."""
    page = browser.new_page(viewport={"width": PX_WIDTH, "height": PX_HEIGHT})
    try:
        page.set_content(chromium_html())
        page.emulate_media(media="print")
        rects = page.evaluate(
            "() => [...document.querySelectorAll('article')].map(a => {"
            " const r = a.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
        )
        data = page.pdf(width=f"{PX_WIDTH}px", height=f"{PX_HEIGHT}px", print_background=True)
    finally:
        page.close()
    zones = [(x0 / PX_WIDTH, y0 / PX_HEIGHT, x1 / PX_WIDTH, y1 / PX_HEIGHT) for x0, y0, x1, y1 in rects]
    return data, zones


# --- A two-page issue: reportlab sets page 2, PDFium joins it to page 1 -----------------------

PAGE_TWO_HEAD = ("第2版 市县政协", "陇原政协报", "2024年7月8日 星期一")
PAGE_TWO_STORIES = [
    Story(
        headline="让协商成果转化为发展实效",
        paragraphs=[
            "(上接第1版)在定西，市政协围绕马铃薯产业链延伸开展调研，推动建成一批精深加工项目，"
            "让小土豆成为群众增收的大产业。",
            "各地政协还通过委员工作室、协商议事会等平台，把协商延伸到基层，倾听群众呼声。",
        ],
    ),
    Story(
        kicker="永登县政协",
        headline="视察城乡供水一体化项目",
        paragraphs=[
            "本报永登讯(通讯员 苏婷)7月6日，永登县政协组织委员视察城乡供水一体化项目建设情况，"
            "先后察看了水厂、加压泵站和入户管网工程。",
            "委员们建议，要加快管网改造进度，完善运行管护机制，让群众早日喝上放心水。",
        ],
    ),
]


def reportlab_page_two() -> tuple[bytes, list[tuple[float, float, float, float]]]:
    """Page 2 of the issue: a continuation of page 1's third story, and a story of its own, in full-width rows."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Body", str(FONT_FILE), subfontIndex=0))
    pdfmetrics.registerFont(TTFont("Display", str(FONT_FILE), subfontIndex=1))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT))

    def text(x, top, words, font, size):
        pdf.setFont(font, size)
        pdf.drawString(x, HEIGHT - top - size * 0.88, words)

    def rule(top, x0=MARGIN, x1=WIDTH - MARGIN):
        pdf.setLineWidth(0.8)
        pdf.line(x0, HEIGHT - top, x1, HEIGHT - top)

    text(MARGIN, 48, PAGE_TWO_HEAD[0], "Display", 16)
    text(WIDTH / 2 - 50, 44, PAGE_TWO_HEAD[1], "Display", 20)
    text(WIDTH - MARGIN - 120, 50, PAGE_TWO_HEAD[2], "Body", 10)
    rule(84)
    zones, y = [], 110.0
    x0, x1 = MARGIN, WIDTH - MARGIN
    for story in PAGE_TWO_STORIES:
        top = y
        if story.kicker:
            width = pdfmetrics.stringWidth(story.kicker, "Body", 14)
            text((x0 + x1 - width) / 2, y, story.kicker, "Body", 14)
            y += 22
        width = pdfmetrics.stringWidth(story.headline, "Display", 24)
        text((x0 + x1 - width) / 2, y, story.headline, "Display", 24)
        y += 38
        for _, words, indent in _set_lines(story, x1 - x0, pdfmetrics.stringWidth):
            text(x0 + indent, y, words, "Body", BODY)
            y += LEADING
        zones.append((x0 / WIDTH, top / HEIGHT, x1 / WIDTH, (y - LEADING + BODY) / HEIGHT))
        y += 14
        rule(y - 6, x0, x0 + (x1 - x0) / 3)  # a short rule closes the story: a long one would close the page's head
        y += 20
    rule(HEIGHT - 40)
    text(MARGIN, HEIGHT - 34, "陇原政协报 2024年7月8日 第2版 市县政协", "Body", 8)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), zones


def two_page_issue() -> bytes:
    """Page 1 and page 2 in one PDF, joined by PDFium (another writer than reportlab's)."""
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    for data in (reportlab_page()[0], reportlab_page_two()[0]):
        joined.import_pages(pdfium.PdfDocument(data))
    buffer = io.BytesIO()
    joined.save(buffer)
    return buffer.getvalue()
