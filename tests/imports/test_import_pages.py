import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsroom.models import Correspondent, ImportBatch, Story, Transition
from newsroom.revisions import versions_of
from newsroom.services.imports import Upload, import_bulletin
from tests.pages import texts

from .pages import PAGE_ONE, PAGE_TWO, PAGE_TWO_CHANGED

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 11, 20)


def run(*files, **options):
    uploads = [Upload(name, text.encode("utf-8") if isinstance(text, str) else text) for name, text in files]
    options.setdefault("issue_number", 1190)
    options.setdefault("issue_date", DATE)
    return import_bulletin(uploads, **options)


def test_a_page_imports_as_a_reader_reads_it(bureaus):
    plan, batch = run(("page-1.txt", PAGE_ONE))

    assert plan.errors == [] and batch is not None
    story = Story.objects.get(headline="召开十一届常委会第九次会议")
    assert story.kicker == "张掖市政协"
    assert story.dateline == "本报张掖讯(通讯员赵明远)"
    assert story.paragraphs[0].startswith("11月18日，张掖市政协召开")
    assert (story.issue.number, story.page, story.position) == (1190, 1, 1)
    assert story.region.slug == "zhangye"
    assert Correspondent.objects.get(name="赵明远").title == "通讯员"


def test_imported_stories_enter_the_review_queue_through_the_workflow(bureaus, importer):
    run(("page-1.txt", PAGE_ONE), actor=importer)

    assert set(Story.objects.values_list("status", flat=True)) == {"submitted"}
    assert Transition.objects.filter(action="import", to_status="submitted").count() == 2
    assert not Story.objects.published().exists()


def test_a_continuation_in_the_same_batch_joins_its_story(bureaus):
    plan, _ = run(("page-1.txt", PAGE_ONE), ("page-2.txt", PAGE_TWO))

    story = Story.objects.get(headline="凝聚共识促发展")
    assert plan.summary()["joined"] == 1
    assert Story.objects.filter(headline="凝聚共识促发展").count() == 1
    assert (story.page, story.continued_on_page) == (1, 2)
    assert story.paragraphs[:2] == [
        "今年以来，全省各级政协围绕中心工作开展协商议政，形成了一批有分量的建言成果。",
        "委员们深入一线调研，把群众的意见建议带到协商会上，推动解决了一批实际问题。",
    ]
    assert story.paragraphs[2].startswith("协商成果如何落地见效")
    assert story.subheads == ["办理结果"]
    assert story.continuation_start == 2


def test_a_continuation_joins_a_story_imported_before(bureaus):
    run(("page-1.txt", PAGE_ONE))
    plan, batch = run(("page-2.txt", PAGE_TWO))

    story = Story.objects.get(headline="凝聚共识促发展")
    assert plan.summary()["joined"] == 1
    assert Story.objects.filter(headline="凝聚共识促发展").count() == 1
    assert story.paragraphs[-1] == "办理情况在下一次常委会会议上通报，接受委员监督。"
    assert batch.updated_count == 1


def test_importing_the_same_pages_again_changes_nothing(bureaus):
    run(("page-1.txt", PAGE_ONE), ("page-2.txt", PAGE_TWO))
    before = list(Story.objects.order_by("pk").values_list("pk", "headline", "body"))

    plan, batch = run(("page-1.txt", PAGE_ONE), ("page-2.txt", PAGE_TWO))

    assert plan.summary()["new"] == 0 and plan.summary()["updated"] == 0
    assert list(Story.objects.order_by("pk").values_list("pk", "headline", "body")) == before
    assert batch.unchanged_count == 4  # three stories and the continuation read from page 2


def test_a_changed_continuation_updates_its_story_and_leaves_a_version(bureaus):
    run(("page-1.txt", PAGE_ONE), ("page-2.txt", PAGE_TWO))

    run(("page-2.txt", PAGE_TWO_CHANGED))

    story = Story.objects.get(headline="凝聚共识促发展")
    assert story.paragraphs[-1].endswith("接受委员和群众监督。")
    assert story.paragraphs.count("委员们深入一线调研，把群众的意见建议带到协商会上，推动解决了一批实际问题。") == 1
    assert versions_of(story).first().revision.get_comment().startswith("导入批次")


def test_several_people_in_one_byline_are_credited_in_order(bureaus):
    run(("page-2.txt", PAGE_TWO))

    story = Story.objects.get(headline="视察城市供水保障工作")
    assert [(c.correspondent.name, c.title) for c in story.credits.all()] == [("孙晓东", "通讯员"), ("周文", "记者")]
    assert story.dateline == "本报天水讯(通讯员孙晓东 记者周文)"


def test_the_page_number_comes_from_the_option_or_the_file_name(bureaus):
    plan, batch = run(("scan.txt", PAGE_ONE))
    assert batch is None
    assert "无法确定版次" in plan.errors[0].message

    plan, batch = run(("scan.txt", PAGE_ONE), page=3)
    assert batch is not None
    assert set(Story.objects.values_list("page", flat=True)) == {3}


def test_a_dry_run_writes_nothing(bureaus):
    plan, batch = run(("page-1.txt", PAGE_ONE), dry_run=True)

    assert batch is None
    assert plan.summary()["new"] == 2
    assert Story.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_unknown_dateline_is_an_error_naming_file_line_and_field(bureaus):
    page = PAGE_ONE.replace("本报张掖讯", "本报火星讯")

    plan, batch = run(("page-1.txt", page))

    assert batch is None
    error = plan.errors[0]
    assert (error.source, error.line, error.field) == ("page-1.txt", 1, "dateline")  # where the story starts
    assert "火星" in error.message
    assert Story.objects.count() == 0


def test_a_place_shared_by_two_regions_needs_a_bureau(regions):
    page = PAGE_ONE.replace("本报张掖讯", "本报白银讯")

    plan, _ = run(("page-1.txt", page))

    assert any("白银市、白银区" in error.message for error in plan.errors)


def test_a_bureau_for_a_place_with_no_bureau_yet_is_made_with_a_warning(regions):
    plan, batch = run(("page-1.txt", PAGE_ONE))

    assert batch is not None
    assert any("新建记者站“本报张掖讯”" in warning.message for warning in plan.warnings)


def test_the_system_cannot_import_published_stories(bureaus):
    plan, batch = run(("page-1.txt", PAGE_ONE), dry_run=True)
    assert batch is None and plan.errors == []


def test_progress_is_reported_stage_by_stage(bureaus):
    seen = []

    run(("page-1.txt", PAGE_ONE), progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert seen[0] == ("读取文件", 0, 1)
    assert ("核对稿件", 2, 2) in seen
    assert seen[-1] == ("写入稿件", 2, 2)


def test_the_upload_preview_shows_a_page_texts_problem_in_chinese_with_its_file_and_line(
    client, bureaus, importer, worked
):
    page = "本报张掖讯 张掖市政协召开常委会。\n\n" + PAGE_TWO
    client.force_login(importer)

    response = worked(
        client.post,
        reverse("admin:newsroom_importbatch_upload"),
        {"files": [SimpleUploadedFile("page-2.txt", page.encode())], "issue": "1190", "date": "2026-11-20"},
    )

    shown = response.content.decode()
    assert "有错误，未写入任何内容" in shown
    row = next(row for row in texts(shown, "#content-main tbody tr") if "page-2.txt 第1行" in row)
    assert "错误（标题）：稿件没有标题：以“张掖市政协召开常委会。”开头的正文前应有一行标题" in row
    assert Story.objects.count() == 0
