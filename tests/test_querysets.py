import datetime

import pytest
from django.utils import timezone

from newsroom.models import STORY_STATES, Story
from newsroom.services.stories import CreditInput
from newsroom.services.workflow import Action, transition

from . import factories

pytestmark = pytest.mark.django_db


def published_headlines(qs=None):
    return set((qs if qs is not None else Story.objects.published()).values_list("headline", flat=True))


def test_published_holds_only_released_stories_whose_time_has_come(regions, contributor, editor, chief):
    factories.story(headline="草稿")
    submitted = factories.story(headline="待审", created_by=contributor)
    transition(submitted, Action.SUBMIT, actor=contributor)
    approved = factories.story(headline="已通过")
    transition(approved, Action.SUBMIT, actor=editor)
    transition(approved, Action.APPROVE, actor=editor)
    factories.published_story(headline="已发布")
    factories.published_story(headline="定时", published_at=timezone.now() + datetime.timedelta(hours=1))
    withdrawn = factories.published_story(headline="已撤稿")
    transition(withdrawn, Action.WITHDRAW, actor=chief, comment="事实有误")

    assert published_headlines() == {"已发布"}


def test_a_scheduled_story_appears_once_its_time_has_passed(regions, chief):
    story = factories.published_story(headline="定时", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert published_headlines() == set()

    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))

    assert published_headlines() == {"定时"}


def test_in_region_of_a_prefecture_includes_its_counties(regions):
    factories.published_story(headline="张掖市", region=factories.region("zhangye"))
    factories.published_story(headline="民乐县", region=factories.region("minle"))
    factories.published_story(headline="天水市", region=factories.region("tianshui"))

    zhangye = Story.objects.published().in_region(factories.region("zhangye"))
    minle = Story.objects.published().in_region(factories.region("minle"))
    gansu = Story.objects.published().in_region(factories.region("gansu"))

    assert published_headlines(zhangye) == {"张掖市", "民乐县"}
    assert published_headlines(minle) == {"民乐县"}
    assert published_headlines(gansu) == {"张掖市", "民乐县", "天水市"}


def test_region_defaults_to_the_bureaus_region(regions):
    story = factories.story(bureau=factories.bureau("minqin"))

    assert story.region.slug == "minqin"


def test_by_correspondent_lists_a_story_once_even_with_two_credits(regions):
    person = factories.correspondent("鱼晓勇")
    factories.published_story(
        headline="图文",
        credits=[CreditInput(person, "text"), CreditInput(person, "photo")],
    )
    factories.published_story(headline="别人的")

    stories = Story.objects.published().by_correspondent(person)

    assert list(stories.values_list("headline", flat=True)) == ["图文"]


def test_published_between_takes_whole_days_in_the_papers_time_zone(regions):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    factories.published_story(headline="早", published_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=shanghai))
    factories.published_story(headline="晚", published_at=datetime.datetime(2026, 11, 2, 23, 50, tzinfo=shanghai))
    factories.published_story(headline="外", published_at=datetime.datetime(2026, 11, 3, 0, 10, tzinfo=shanghai))

    stories = Story.objects.published().published_between(datetime.date(2026, 11, 1), datetime.date(2026, 11, 2))

    assert published_headlines(stories) == {"早", "晚"}


def test_search_finds_text_in_kicker_headline_and_body(regions):
    factories.published_story(headline="召开常委会议", kicker="临夏州政协")
    factories.published_story(headline="开展调研", paragraphs=("委员们深入中药材种植基地了解情况。",))
    factories.published_story(headline="无关", paragraphs=("这是另一件事。",))

    assert published_headlines(Story.objects.published().search("临夏")) == {"召开常委会议"}
    assert published_headlines(Story.objects.published().search("中药材")) == {"开展调研"}
    assert published_headlines(Story.objects.published().search("常委")) == {"召开常委会议"}


def test_search_text_follows_edits_of_the_body(regions):
    from newsroom import body
    from newsroom.services.stories import update_story

    story = factories.published_story(paragraphs=("原来的文字。",))
    update_story(story, body=body.make([("paragraph", "改过的文字。")]))

    assert published_headlines(Story.objects.published().search("改过")) == {story.headline}
    assert published_headlines(Story.objects.published().search("原来")) == set()


def a_story_in_every_state(contributor, editor, chief):
    """One story per state of the desk, headlined by its state's name; all the contributor's."""
    factories.story(headline="草稿", created_by=contributor)
    submitted = factories.story(headline="待审", created_by=contributor)
    transition(submitted, Action.SUBMIT, actor=contributor)
    approved = factories.story(headline="已通过", created_by=contributor)
    transition(approved, Action.SUBMIT, actor=contributor)
    transition(approved, Action.APPROVE, actor=editor)
    factories.published_story(headline="已发布", created_by=contributor)
    factories.published_story(
        headline="已排期", created_by=contributor, published_at=timezone.now() + datetime.timedelta(hours=2)
    )
    withdrawn = factories.published_story(headline="已撤稿", created_by=contributor)
    transition(withdrawn, Action.WITHDRAW, actor=chief, comment="事实有误")


def test_each_state_lists_its_stories_and_scheduled_is_not_published(regions, contributor, editor, chief):
    a_story_in_every_state(contributor, editor, chief)

    assert published_headlines(Story.objects.scheduled()) == {"已排期"}
    assert published_headlines(Story.objects.in_review()) == {"待审"}
    assert published_headlines(Story.objects.drafts()) == {"草稿"}
    assert published_headlines(Story.objects.approved()) == {"已通过"}
    assert published_headlines(Story.objects.withdrawn()) == {"已撤稿"}
    for state, label in STORY_STATES:
        assert published_headlines(Story.objects.in_state(state)) == {label}
    assert Story.objects.in_state("nonsense").count() == 6


def test_state_counts_count_what_in_state_lists(regions, contributor, editor, chief):
    a_story_in_every_state(contributor, editor, chief)
    factories.published_story(headline="又一篇")

    counts = Story.objects.state_counts()

    assert counts == {state: Story.objects.in_state(state).count() for state, _ in STORY_STATES}
    assert counts["published"] == 2 and counts["scheduled"] == 1


def test_a_scheduled_story_leaves_scheduled_when_its_time_comes(regions):
    story = factories.published_story(headline="定时", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert story.is_scheduled and published_headlines(Story.objects.scheduled()) == {"定时"}

    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    story.refresh_from_db()

    assert not story.is_scheduled and published_headlines(Story.objects.scheduled()) == set()


def test_drafts_of_an_author_are_their_own_unfinished_stories(regions, contributor, editor, chief):
    a_story_in_every_state(contributor, editor, chief)
    factories.story(headline="别人的草稿")

    assert published_headlines(Story.objects.drafts_of(contributor)) == {"草稿", "待审"}
    assert published_headlines(Story.objects.drafts_of(editor)) == set()


def test_ready_to_publish_is_approved_and_scheduled(regions, contributor, editor, chief):
    a_story_in_every_state(contributor, editor, chief)

    assert published_headlines(Story.objects.ready_to_publish()) == {"已通过", "已排期"}
