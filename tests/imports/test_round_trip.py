"""Round trips: a bundle exported and imported again is the same issue, and says so."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsroom import body as story_body
from newsroom.bulletin.export import export_issue
from newsroom.models import Correspondent, ImportBatch, Issue, Story, Topic
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.imports.plan import problem_text
from newsroom.services.stories import PhotoInput
from newsroom.services.workflow import Action, transition
from tests import factories

from .pages import PAGE_ONE, PAGE_TWO
from .test_bundles import chief_importer, snapshot

pytestmark = pytest.mark.django_db


def import_pages():
    return import_bulletin(
        [Upload("page-1.txt", PAGE_ONE.encode()), Upload("page-2.txt", PAGE_TWO.encode())],
        issue_number=1190,
        issue_date=datetime.date(2026, 11, 20),
    )


def test_a_story_run_across_pages_comes_back_from_its_bundle_unchanged(bureaus):
    import_pages()
    story = Story.objects.get(headline="凝聚共识促发展")
    paragraphs = story.paragraphs
    bundle = export_issue(Issue.objects.get(number=1190))

    plan, batch = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief_importer())

    assert plan.errors == []
    assert plan.summary()["unchanged"] == 3 and plan.summary()["updated"] == 0
    story.refresh_from_db()
    assert story.paragraphs == paragraphs
    assert story.paragraphs.count("办理情况在下一次常委会会议上通报，接受委员监督。") == 1
    assert export_issue(Issue.objects.get(number=1190)) == bundle


def test_a_pages_editor_in_charge_travels_in_its_bundle(bureaus):
    import_pages()
    Issue.objects.get(number=1190).pages.filter(number=2).update(editor="张伟")
    bundle = export_issue(Issue.objects.get(number=1190))
    Issue.objects.get(number=1190).pages.update(editor="")

    plan, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief_importer())

    assert plan.errors == []
    pages = Issue.objects.get(number=1190).pages.order_by("number")
    assert [(page.number, page.editor) for page in pages] == [(1, ""), (2, "张伟")]


def published(headline, **fields):
    return factories.published_story(
        headline=headline,
        issue=Issue.objects.get(number=1190),
        published_at=datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC),
        **fields,
    )


def test_withdrawn_and_corrected_stories_keep_their_state_through_a_bundle(bureaus):
    import_pages()
    chief = chief_importer()
    corrected = published("委员视察水源地保护", page=3, position=1)
    transition(corrected, Action.CORRECT, actor=chief, comment="原稿将“管网”误作“关网”，已更正。")
    withdrawn = published("一则撤下的消息", page=3, position=2)
    transition(withdrawn, Action.WITHDRAW, actor=chief, comment="稿件内容与事实不符。")
    before = snapshot(1190)
    bundle = export_issue(Issue.objects.get(number=1190))

    again, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert again.errors == [] and again.warnings == []
    assert set(again.summary().items()) >= {("new", 0), ("updated", 0), ("unchanged", 5)}

    empty_the_site()
    plan, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert plan.errors == []
    assert snapshot(1190) == before
    shown = Story.objects.get(headline="一则撤下的消息")
    assert (shown.status, shown.withdrawn_reason) == (Story.Status.WITHDRAWN, "稿件内容与事实不符。")
    assert Story.objects.get(headline="委员视察水源地保护").correction == "原稿将“管网”误作“关网”，已更正。"
    assert export_issue(Issue.objects.get(number=1190)) == bundle


def test_a_withdrawn_row_needs_its_reason_and_only_published_stories_carry_corrections(bureaus):
    table = (
        "reference,issue,page,headline,body,state,published_at,correction,corrected_at,withdrawn_reason\n"
        "w-1,1190,1,撤下的稿件,正文一段。,withdrawn,2026-11-20 06:00,,,\n"
        "c-1,1190,1,待审的稿件,正文一段。,submitted,,误将日期写错。,2026-11-21 09:00,\n"
    )

    plan, batch = import_bulletin(
        [Upload("stories.csv", table.encode())], actor=chief_importer(), issue_date=datetime.date(2026, 11, 20)
    )

    assert batch is None
    messages = [problem_text(problem) for problem in plan.errors]
    assert "stories.csv 第2行（撤稿原因）：已撤稿的稿件须写明撤稿原因" in messages
    assert "stories.csv 第3行（更正说明）：只有发布过的稿件才有更正，这篇是“待审”" in messages


def test_a_bundle_that_says_otherwise_about_a_story_here_leaves_its_state_and_says_so(bureaus):
    import_pages()
    chief = chief_importer()
    story = published("委员视察水源地保护", page=3, position=1)
    bundle = export_issue(Issue.objects.get(number=1190))
    transition(story, Action.WITHDRAW, actor=chief, comment="重复刊发。")

    plan, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)

    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN
    assert plan.summary()["unchanged"] == 4
    assert [problem_text(problem) for problem in plan.warnings] == [
        "issue-1190.zip:stories.csv 第5行（状态）：与站内稿件的状态（这里是“已撤稿”）、撤稿原因不同："
        "导入不改这些，请在后台用签发、撤稿或更正处理"
    ]


def empty_the_site():
    """What a fresh site holds: the regions and bureaus (the paper's set-up), no issues, stories or people."""
    Story.objects.all().delete()
    Issue.objects.all().delete()
    Correspondent.objects.all().delete()


def test_photo_names_in_a_bundle_unzip_on_windows(bureaus):
    issue = factories.issue(number=1194, date=datetime.date(2026, 11, 22))
    factories.photo_story(reference="demo:xihe-yizhen", issue=issue, page=4, position=1)
    factories.photo_story(reference="demo?xihe-yizhen", issue=issue, page=4, position=2)

    bundle = export_issue(issue)

    names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
    assert [name for name in names if name.startswith("photos/")] == [
        "photos/demo-xihe-yizhen-1.jpg",
        "photos/demo-xihe-yizhen-1-2.jpg",
    ]
    empty_the_site()
    plan, _ = import_bulletin([Upload("issue-1194.zip", bundle)], actor=chief_importer())
    assert plan.errors == []
    assert [story.photos.count() for story in Story.objects.order_by("position")] == [1, 1]


FEATURE_PAGE = """聚焦乡村振兴

委员建言特色产业

——临洮县政协专题协商会侧记

本报讯(记者 钱慧敏)11月17日，临洮县政协召开专题协商会，委员们围绕特色产业发展各抒己见。
"""


def test_a_subtitle_line_is_the_subheadline_and_the_page_prints_it_again(bureaus):
    import_bulletin(
        [Upload("page-3.txt", FEATURE_PAGE.encode())], issue_number=1195, issue_date=datetime.date(2026, 11, 23)
    )

    story = Story.objects.get()
    assert (story.kicker, story.headline, story.subheadline) == (
        "聚焦乡村振兴",
        "委员建言特色产业",
        "临洮县政协专题协商会侧记",
    )
    page = zipfile.ZipFile(io.BytesIO(export_issue(story.issue))).read("page-3.txt").decode()
    assert page.startswith("聚焦乡村振兴\n\n委员建言特色产业\n\n——临洮县政协专题协商会侧记\n\n本报讯(记者钱慧敏)")


PHOTO_PAGE = """委员开展义诊活动

11月16日，县政协组织医卫界委员走进西和县长道镇，为群众免费测血压、查血糖。

通讯员 鱼勇 摄影报道

春耕时节委员在田间

3月下旬，甘谷县政协委员走进苹果园修剪果树。王建平摄

4月初，秦安县政协委员察看桃花观光带建设。王建平摄

委员走访种薯企业

4月15日，市政协委员走访定西市安定区马铃薯种薯繁育企业。张志红 摄影报道
"""


def test_a_photo_report_without_dateline_is_placed_where_its_caption_says_when_that_is_one_place(bureaus):
    plan, _ = import_bulletin(
        [Upload("page-4.txt", PHOTO_PAGE.encode())], issue_number=1196, issue_date=datetime.date(2026, 11, 24)
    )

    assert plan.errors == []
    stories = Story.objects.order_by("position")
    assert [(story.kind, story.region.name if story.region else None) for story in stories] == [
        (Story.Kind.PHOTO, "西和县"),
        (Story.Kind.PHOTO, None),
        (Story.Kind.PHOTO, "安定区"),
    ]


def test_the_commands_export_and_import_an_issue_back_and_say_so_in_chinese(bureaus, tmp_path, monkeypatch):
    import_pages()
    chief_importer()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()

    call_command("export_bulletin", "--issue", "1190", stdout=out)
    call_command("import_bulletin", "issue-1190.zip", "--user", "chief-importer", stdout=out)

    size = (tmp_path / "issue-1190.zip").stat().st_size
    lines = out.getvalue().splitlines()
    assert lines[0] == f"已写出 issue-1190.zip（{size} 字节）。"
    batch = ImportBatch.objects.latest("pk")
    assert lines[1] == (
        f"已导入，批次 #{batch.pk}：新建 0 篇，更新 0 篇，未变 3 篇，续接 0 篇，"
        "新建通讯员 0 位，新建记者站 0 个，涉及 1 期"
    )


def test_the_import_command_names_file_row_and_field_of_each_problem_in_chinese(bureaus, tmp_path):
    path = tmp_path / "stories.csv"
    path.write_text("期号,版次,标题,正文,署名\n1190,1,,正文一段。,通讯员 王熙乐\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit):
        call_command("import_bulletin", str(path), "--date", "2026-11-20", stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        "警告：stories.csv 第2行（署名）：新建通讯员“王熙乐”",
        "错误：stories.csv 第2行（标题）：标题不能为空",
        "未写入：1 处错误。（新建 1 篇，更新 0 篇，未变 0 篇，续接 0 篇，新建通讯员 1 位，新建记者站 0 个，涉及 1 期）",
    ]
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--date", "20.11.2026"], "--date “20.11.2026”：日期应写成 YYYY-MM-DD，如 2026-11-20"),
        (["--user", "nobody"], "--user “nobody”：没有这个在用的用户"),
    ],
)
def test_the_import_command_refuses_bad_options_in_chinese(db, tmp_path, options, message):
    path = tmp_path / "page-1.txt"
    path.write_text(PAGE_ONE, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("import_bulletin", str(path), *options)


EDITED_BODY = """6月28日，委员们来到兰州新区。

## 视察名单

> 要把协商成果转化为发展实效。

[图2]

表：参加视察的委员
| 姓名 | 界别 |
|---|---|
| 马文清 | 经济界 |
| 杨海燕 | - |

\\## 这一段以井号开头，仍是正文。

[图1]"""


def test_quotes_placed_photos_and_tables_come_back_from_a_bundle_unchanged(bureaus):
    import_pages()
    chief = chief_importer()
    story = published(
        "委员视察兰州新区",
        page=3,
        position=1,
        body=story_body.from_editable(EDITED_BODY),
        photos=[
            PhotoInput(image=factories.jpeg(color=(20 * n, 80, 160)), caption=f"视察现场之{n}", alt=f"现场{n}")
            for n in (1, 2)
        ],
    )
    body = story.body
    before = snapshot(1190)
    bundle = export_issue(Issue.objects.get(number=1190))

    again, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert again.errors == [] and again.summary()["updated"] == 0

    empty_the_site()
    plan, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert plan.errors == []
    assert snapshot(1190) == before
    assert Story.objects.get(headline="委员视察兰州新区").body == body
    assert export_issue(Issue.objects.get(number=1190)) == bundle


def test_a_table_of_stories_takes_the_new_blocks_as_json_and_names_a_wrong_one(bureaus):
    good = [{"kind": "quote", "text": "引文。"}, {"kind": "table", "rows": [["甲", "乙"]]}]
    bad = [{"kind": "paragraph", "text": "正文。"}, {"kind": "photo", "photo": 0}]
    chief = chief_importer()
    rows = [
        {"reference": "j-1", "issue": 1190, "page": 1, "headline": "带表格的稿件", "body": good},
        {"reference": "j-2", "issue": 1190, "page": 1, "headline": "表格有误的稿件", "body": bad},
    ]

    plan, batch = import_bulletin(
        [Upload("stories.json", json.dumps(rows, ensure_ascii=False).encode())],
        actor=chief,
        issue_date=datetime.date(2026, 11, 20),
    )

    assert batch is None
    assert [problem_text(problem) for problem in plan.errors] == [
        "stories.json 第3行（正文）：正文第2块（图片）的编号应是 1 到 999 的整数，如 [图2]"
    ]

    plan, batch = import_bulletin(
        [Upload("stories.json", json.dumps(rows[:1], ensure_ascii=False).encode())],
        actor=chief,
        issue_date=datetime.date(2026, 11, 20),
    )
    assert plan.errors == []
    assert Story.objects.get(headline="带表格的稿件").body == [
        {"kind": "quote", "text": "引文。"},
        {"kind": "table", "rows": [["甲", "乙"]], "header": False, "caption": ""},
    ]


def test_an_issue_imported_from_its_pdf_comes_back_from_its_bundle_with_its_page_pdfs_and_zones(bureaus):
    from newsroom.models import Page, Zone
    from tests.bulletin import pdfpages

    pdfpages.needs_font()
    plan, _ = import_bulletin(
        [Upload("issue-7.pdf", pdfpages.two_page_issue())], issue_number=7, issue_date=datetime.date(2024, 7, 8)
    )
    assert plan.errors == []
    bundle = export_issue(Issue.objects.get(number=7))
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    assert {"pages/page-1.pdf", "pages/page-2.pdf"} <= set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    zones = [zone for page in manifest["pages"] for zone in page.get("zones", [])]
    assert len(zones) == Zone.objects.count() == 7
    assert all(len(repr(zone[key]).split(".")[-1]) <= 4 for zone in zones for key in "xywh")

    empty_the_site()
    again, _ = import_bulletin([Upload("issue-7.zip", bundle)], actor=chief_importer())

    assert again.errors == []
    pages = Page.objects.filter(issue__number=7).order_by("number")
    assert [page.pdf_sha256 for page in pages] == [
        hashlib.sha256(archive.read(f"pages/page-{page.number}.pdf")).hexdigest() for page in pages
    ]
    assert Zone.objects.count() == 7
    assert export_issue(Issue.objects.get(number=7)) == bundle


def test_a_bundles_zone_off_the_page_is_named_in_the_preview(bureaus):
    issue = factories.issue(number=1195, date=datetime.date(2026, 11, 23))
    factories.story(reference="1195-1-1", issue=issue, page=1, position=1)
    bundle = export_issue(issue)
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    manifest = json.loads(archive.read("manifest.json"))
    manifest["pages"][0]["zones"] = [{"reference": "1195-1-1", "x": 0.7, "y": 0.1, "w": 0.5, "h": 0.2}]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as out:
        for name in archive.namelist():
            data = json.dumps(manifest).encode() if name == "manifest.json" else archive.read(name)
            out.writestr(name, data)

    plan, batch = import_bulletin([Upload("issue-1195.zip", broken.getvalue())], actor=chief_importer())

    assert batch is None
    assert [problem_text(problem) for problem in plan.errors] == [
        "issue-1195.zip:manifest.json（版面区域）：第1版的区域（0.7, 0.1, 0.5, 0.2）不在版面上：应是 0 到 1 之间的比例"
    ]


def test_a_bundle_of_a_pdf_issue_imported_again_here_changes_nothing(bureaus):
    from tests.bulletin import pdfpages

    pdfpages.needs_font()
    import_bulletin(
        [Upload("issue-7.pdf", pdfpages.two_page_issue())], issue_number=7, issue_date=datetime.date(2024, 7, 8)
    )
    bundle = export_issue(Issue.objects.get(number=7))

    plan, batch = import_bulletin([Upload("issue-7.zip", bundle)], actor=chief_importer())

    # Six stories: the one continued on page 2 is one row of the bundle.
    assert plan.errors == [] and (plan.summary()["unchanged"], plan.summary()["updated"]) == (6, 0)
    assert batch.printed == {"pages": [], "zones": []}


def test_topics_travel_with_their_stories_through_a_bundle(bureaus):
    import_pages()
    lianghui = Topic.objects.create(name="两会", slug="lianghui")
    lvzhi = Topic.objects.create(name="委员履职", slug="lvzhi")
    story = Story.objects.get(headline="凝聚共识促发展")
    story.topics.set([lianghui, lvzhi])
    chief = chief_importer()
    bundle = export_issue(Issue.objects.get(number=1190))
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(bundle)).read("stories.csv").decode())))
    assert {row["headline"]: row["topics"] for row in rows}["凝聚共识促发展"] == "两会、委员履职"

    unchanged, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert unchanged.summary()["unchanged"] == 3

    empty_the_site()
    plan, _ = import_bulletin([Upload("issue-1190.zip", bundle)], actor=chief)
    assert plan.errors == []
    assert sorted(Story.objects.get(headline="凝聚共识促发展").topics.values_list("name", flat=True)) == [
        "两会",
        "委员履职",
    ]
    assert export_issue(Issue.objects.get(number=1190)) == bundle


TOPIC_TABLE = (
    "编号,期号,版次,标题,正文,专题\n"
    "t-1,1190,1,政协委员建言春耕,委员们走进田间。,两会、委员履职\n"
    "t-2,1190,2,提案办理回头看,提案办理情况通报。,提案办理；两会\n"
    "t-3,1190,2,一则简讯,简讯正文。,\n"
)


def test_a_table_s_topic_column_files_its_stories_and_an_unknown_topic_is_named_with_its_row(bureaus):
    for name, slug in (("两会", "lianghui"), ("委员履职", "lvzhi"), ("提案办理", "tian")):
        Topic.objects.create(name=name, slug=slug)
    upload = [Upload("stories.csv", TOPIC_TABLE.encode())]
    chief = chief_importer()

    plan, batch = import_bulletin(upload, actor=chief, issue_date=datetime.date(2026, 11, 20))

    assert plan.errors == [] and batch is not None
    topics_of = {story.reference: sorted(story.topics.values_list("slug", flat=True)) for story in Story.objects.all()}
    assert topics_of == {"t-1": ["lianghui", "lvzhi"], "t-2": ["lianghui", "tian"], "t-3": []}

    changed = TOPIC_TABLE.replace("两会、委员履职", "委员履职")
    again, _ = import_bulletin([Upload("stories.csv", changed.encode())], actor=chief)
    assert again.summary()["updated"] == 1 and again.summary()["unchanged"] == 2
    assert list(Story.objects.get(reference="t-1").topics.values_list("name", flat=True)) == ["委员履职"]

    mistyped = TOPIC_TABLE.replace("提案办理；两会", "提案办理；两回")
    wrong, nothing = import_bulletin([Upload("stories.csv", mistyped.encode())], actor=chief)
    assert nothing is None
    assert [problem_text(problem) for problem in wrong.errors] == [
        "stories.csv 第3行（专题）：没有名为“两回”的专题（现有：两会、委员履职、提案办理）。"
        "专题由编辑在后台“专题”中新建，请先建立或改正名称"
    ]
    assert not Topic.objects.filter(name="两回").exists()


def test_importing_a_page_again_leaves_the_topics_the_desk_chose(bureaus):
    import_pages()
    topic = Topic.objects.create(name="两会", slug="lianghui")
    story = Story.objects.get(headline="凝聚共识促发展")
    story.topics.add(topic)

    import_pages()

    assert list(story.topics.all()) == [topic]
