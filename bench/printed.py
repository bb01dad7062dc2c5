"""The printed-issue benchmark's issue: eight broadsheet pages with photos, laid out by the demo's layout code.

Every page has a head and six stories, two side by side (a kicker over every other headline,
datelines with bylines), one of them with two photos; the text is put together from our own sentences,
so the same seed always makes the same issue.
"""

import random

from newsroom.bulletin.writer import PrintedPart
from newsroom.demo import layout
from newsroom.demo.pictures import draw_picture

PAGES = ["要闻", "市县政协", "委员风采", "履职之窗", "文史天地", "法治建设", "民生关注", "图片新闻"]
PLACES = [
    ("张掖", "张掖市政协"),
    ("天水", "天水市政协"),
    ("白银", "白银市政协"),
    ("民乐", "民乐县政协"),
    ("渭源", "渭源县政协"),
]
TOPICS = ["乡村产业发展", "城市供水保障", "职业教育", "中药材种植", "黄河流域生态保护", "老旧小区改造", "冷链物流建设"]
ACTIONS = ["召开专题协商会", "开展民主监督视察", "组织委员调研", "召开常委会议"]
SENTENCES = [
    "会议强调，要坚持问题导向，把协商成果转化为推动发展的具体举措，持续做好跟踪问效工作。",
    "调研组先后走访了企业、合作社和社区，详细了解{topic}方面存在的困难和问题，听取基层意见。",
    "委员们建议，要加大政策支持力度，完善配套措施，推动{topic}提质增效，让群众得到更多实惠。",
    "与会委员结合各自调研情况，围绕{topic}提出了一批有分量的意见建议，得到有关部门积极回应。",
]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "明华建国立新晓东慧敏春梅文静"


def issue_pages(seed=2026):
    rng = random.Random(seed)
    pages = []
    for number, name in enumerate(PAGES, start=1):
        parts = []
        for position in range(6):
            place, body = rng.choice(PLACES)
            topic, action = rng.choice(TOPICS), rng.choice(ACTIONS)
            person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            date = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
            lead = f"本报{place}讯(通讯员 {person}){date}，{body}围绕{topic}{action}。"
            paragraphs = [lead] + [
                sentence.format(topic=topic) for sentence in rng.choices(SENTENCES, k=rng.randint(6, 12))
            ]
            photos = []
            if position == 1:
                photos = [draw_picture(f"bench-{number}-{index}") for index in (1, 2)]
            parts.append(
                (
                    PrintedPart(
                        kicker=body if position % 2 == 0 else "",
                        headline=f"{topic}{action}（{number}-{position + 1}）",
                        subheadline="",
                        blocks=[("paragraph", text) for text in paragraphs],
                    ),
                    photos,
                )
            )
        pages.append(layout.PageLayout(number=number, name=name, date="2026年11月20日 星期五", parts=parts, across=2))
    return pages


def issue_pdf(seed=2026):
    """The issue's PDF, or None without a Chinese font."""
    return layout.lay_out(issue_pages(seed), size=layout.BROADSHEET)
