"""The hand-tuned reads (newsroom/speed) against the installed Django and django-filter.

Each test states what ``newsroom.speed`` relies on in Django's private API and
checks it directly, so that an upgrade that changes it fails here, by name,
rather than as a slow page or a wrong list somewhere else.
"""

import datetime

import pytest
from django.db import connection
from django.db.models.query import ModelIterable
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.filters import StoryFilter
from newsroom.models import Credit, Region, Story
from newsroom.services.stories import CreditInput
from newsroom.speed import lists, rows, search

from . import factories

pytestmark = pytest.mark.django_db


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, len(captured)


def test_set_related_answers_a_foreign_key_without_a_query_as_select_related_would(regions):
    story = Story.objects.get(pk=factories.published_story().pk)
    zhangye = factories.region("zhangye")
    joined = Story.objects.select_related("region").get(pk=story.pk)

    rows.set_related(story, "region", zhangye)
    region, count = queries(lambda: story.region)

    assert (region, count) == (zhangye, 0)
    # Where Django keeps a joined row is where set_related puts it.
    assert Story.region.is_cached(joined) and Story.region.is_cached(story)


def test_set_prefetched_answers_a_relation_without_a_query_as_prefetch_related_would(regions):
    story = factories.published_story(credits=[CreditInput(factories.correspondent("王熙乐"), "text")])
    credits = list(Credit.objects.filter(story=story))
    prefetched = Story.objects.prefetch_related("credits").get(pk=story.pk)
    plain = Story.objects.get(pk=story.pk)

    rows.set_prefetched(plain, "credits", credits)
    answered, count = queries(lambda: list(plain.credits.all()))

    assert (answered, count) == (credits, 0)
    # Django's own prefetching leaves its rows in the same place, under the same name.
    assert set(prefetched._prefetched_objects_cache) == set(plain._prefetched_objects_cache) == {"credits"}


def test_database_of_is_the_alias_a_row_was_read_from(regions):
    story = Story.objects.using("default").get(pk=factories.published_story().pk)

    assert rows.database_of(story) == "default"
    assert rows.database_of(Story(headline="未保存")) == "default"


class Marked(ModelIterable):
    def __iter__(self):
        for story in super().__iter__():
            story.marked = True
            yield story


def test_yielding_keeps_its_iterable_through_chaining_and_leaves_values_to_django(regions):
    factories.published_story(headline="一")
    factories.published_story(headline="二")
    marked = rows.yielding(Story.objects.all(), Marked)

    chained = marked.filter(status=Story.Status.PUBLISHED).order_by("headline").only("headline")[:5]

    assert [(story.headline, story.marked) for story in chained] == [("一", True), ("二", True)]
    assert sorted(marked.values_list("headline", flat=True)) == ["一", "二"]
    assert isinstance(list(marked.values("pk"))[0], dict)


def test_a_flag_on_a_query_survives_filtering_ordering_counting_and_slicing(regions):
    flagged = rows.flagged(Story.objects.all(), "marker", "on")

    chained = flagged.filter(headline__contains="政协").order_by("-pk").values_list("pk", flat=True)[:3]

    assert rows.flag_of(chained.query, "marker") == "on"
    assert rows.flag_of(flagged.query.chain(), "marker") == "on"  # what count() and exists() compile
    assert rows.flag_of(Story.objects.all().query, "marker") is None


def test_ordering_of_is_what_order_by_was_given(regions):
    newest = Story.objects.published().order_by("-published_at", "-pk")

    assert rows.ordering_of(newest.filter(kind=Story.Kind.PHOTO)) == ("-published_at", "-pk")
    assert rows.ordering_of(Story.objects.all()) == ()


def test_a_walking_search_compiles_to_a_test_of_each_story_and_finds_the_same_stories(regions):
    for day in range(3):
        factories.published_story(
            headline=f"政协委员调研{day}", published_at=timezone.now() - datetime.timedelta(days=day)
        )
    factories.published_story(headline="无关")
    searched = Story.objects.published().search("政协委员").newest_first()
    walked = searched.walking()
    one_by_one = {"postgresql": "strpos(", "sqlite": "instr("}[connection.vendor]

    assert one_by_one in str(walked.values_list("pk", flat=True)[:20].query)
    assert one_by_one not in str(searched.values_list("pk", flat=True)[:20].query)
    assert list(walked.values_list("headline", flat=True)) == list(searched.values_list("headline", flat=True))
    assert walked.count() == searched.count() == 3
    assert search.has_search(walked) and not search.has_search(Story.objects.published())


def test_a_search_inside_a_subquery_names_its_own_table(regions):
    person = factories.correspondent("王熙乐")
    factories.published_story(headline="张掖招商引资", credits=[CreditInput(person, "text")])
    factories.published_story(headline="天水招商引资")
    found = Story.objects.published().search("招商引资")

    mine = Story.objects.filter(pk__in=found.values("pk")).by_correspondent(person)

    assert list(mine.values_list("headline", flat=True)) == ["张掖招商引资"]


def test_lists_attach_places_credits_and_lead_photos_in_fixed_queries(regions, settings):
    settings.NEWSROOM_LOOKUP_CACHE = True
    person = factories.correspondent("鱼晓勇")
    for number in range(3):
        factories.photo_story(headline=f"图片{number}", photographer=person, region=factories.region("minle"))
    factories.published_story(headline="文字")
    Story.objects.filter(kind=Story.Kind.PHOTO).update(
        status=Story.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    Region.objects.map()  # read once per worker and content version, before any list

    stories, count = queries(lambda: list(Story.objects.published().for_feed().newest_first()))

    assert count == 3  # the stories, their credits, their lead photos' renditions
    assert all(isinstance(story, Story) for story in stories)
    assert {story.region.name for story in stories if story.kind == Story.Kind.PHOTO} == {"民乐县"}
    assert [story.lead_photo is not None for story in stories].count(True) == 3
    assert sorted(credit.correspondent.name for story in stories for credit in story.credits.all()) == ["鱼晓勇"] * 3
    assert lists.StoriesForFeeds.picture_size == "article"


def test_filter_sets_get_their_own_copies_of_the_filters_bound_to_themselves(regions):
    factories.published_story(headline="张掖", region=factories.region("zhangye"))
    factories.published_story(headline="天水", region=factories.region("tianshui"))
    zhangye = StoryFilter({"region": "zhangye"}, queryset=Story.objects.published())
    tianshui = StoryFilter({"region": "tianshui"}, queryset=Story.objects.published())

    assert zhangye.filters["region"] is not tianshui.filters["region"]
    assert zhangye.filters["region"].parent is zhangye and tianshui.filters["region"].parent is tianshui
    assert getattr(StoryFilter.base_filters["region"], "parent", None) is None
    assert list(zhangye.qs.values_list("headline", flat=True)) == ["张掖"]
    assert list(tianshui.qs.values_list("headline", flat=True)) == ["天水"]


def test_the_filter_form_class_is_made_once_and_each_request_gets_its_own_fields(regions):
    first, second = StoryFilter({"q": "政协"}), StoryFilter({"q": "招商"})

    assert first.get_form_class() is second.get_form_class()
    assert first.form.fields["q"] is not second.form.fields["q"]
    assert first.form["q"].value() == "政协" and second.form["q"].value() == "招商"
