"""The benchmark's archive builder gives what the benchmark's pages rely on."""

import datetime

import pytest

from bench import archive
from newsroom.models import Bureau, Correspondent, Credit, Issue, Page, PageImage, Photo, Region, Story, Zone

pytestmark = pytest.mark.django_db

STORIES = 200
DRAFTS = 40
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def built():
    return archive.build_archive(STORIES, drafts=DRAFTS, correspondents=30, issues=12, today=TODAY, batch=64)


def test_the_archive_has_the_counts_asked_for(built):
    assert Story.objects.published().count() == STORIES
    assert Story.objects.count() == STORIES + DRAFTS
    assert Correspondent.objects.count() == 30
    assert Issue.objects.count() == 12
    assert set(Page.objects.values_list("issue", flat=True)) == set(Issue.objects.values_list("pk", flat=True))
    assert all(4 <= issue.pages.count() <= 8 for issue in Issue.objects.all())
    assert Region.objects.count() == 101
    assert Bureau.objects.filter(region__level=Region.Level.PREFECTURE).count() == 14
    assert built.credits == Credit.objects.count() > STORIES
    assert built.photos == Photo.objects.count() > 0


def test_every_photo_has_the_renditions_readers_get(built):
    photos = list(Photo.objects.prefetch_related("renditions"))

    assert built.renditions == sum(len(photo.renditions.all()) for photo in photos)
    assert all(photo.thumbnail and photo.article_picture for photo in photos)
    assert {len(photo.thumbnail.webp) for photo in photos} == {2}  # 320 and 640 wide


def test_every_region_has_a_path_up_to_the_province(built):
    province = Region.objects.get(level=Region.Level.PROVINCE)
    for region in Region.objects.select_related("parent__parent"):
        assert province in (region, region.parent, region.parent and region.parent.parent), region.slug


def test_published_stories_are_spread_over_the_years_and_mostly_articles(built):
    published = Story.objects.published()
    assert published.filter(published_at__isnull=True).count() == 0
    dates = sorted(published.values_list("published_at", flat=True))
    assert (dates[-1] - dates[0]).days > 8 * 365
    photos = published.filter(kind=Story.Kind.PHOTO).count()
    assert 0 < photos < STORIES * 0.25
    assert published.filter(issue__isnull=False, page__isnull=False).count() > STORIES * 0.9


def test_search_finds_the_generated_words(built):
    for word in (archive.SEARCH_WORD_2, archive.SEARCH_WORD_4):
        found = Story.objects.published().search(word)
        assert found.exists(), word
        assert all(word in story.search_text for story in found)
    assert not Story.objects.filter(search_text="").exists()
    story = Story.objects.published().first()
    assert story.search_text == story.compose_search_text(story.credited_names())
    # Both words, and a correspondent's name.
    assert Story.objects.published().search(archive.SEARCH_TWO_WORDS).exists()
    name = story.credited_names()[0]
    assert story in Story.objects.published().search(name)


def test_drafts_scheduled_and_withdrawn_stories_are_not_published(built):
    hidden = Story.objects.exclude(pk__in=Story.objects.published().values("pk"))
    assert hidden.count() == DRAFTS
    assert {story.status for story in hidden} == {"draft", "submitted", "approved", "published", "withdrawn"}
    assert built.drafts + built.scheduled + built.withdrawn == DRAFTS


def test_clearing_empties_what_the_builder_wrote(built):
    archive.clear_archive()
    assert not Story.objects.exists()
    assert not Issue.objects.exists()
    assert Region.objects.count() == 101


def test_every_page_is_printed_and_every_placed_story_has_its_zone(built, client):
    pages = list(Page.objects.with_images())

    assert built.page_images == PageImage.objects.count() == 6 * len(pages)
    assert all(len(page.picture.webp) == 3 and page.pdf_size for page in pages)
    placed = Story.objects.filter(issue__isnull=False, page__isnull=False)
    assert built.zones == Zone.objects.count() == placed.count()
    assert set(Zone.objects.values_list("story", flat=True)) == set(placed.values_list("pk", flat=True))
    story = Story.objects.published().filter(issue__isnull=False).newest_first().first()
    response = client.get(f"/issues/{story.issue.number}/pages/{story.page}/")
    on_page = Story.objects.published().filter(issue=story.issue, page=story.page).count()
    # Each published story of the page twice: its zone and its place in the list.
    assert response.content.decode().count('<a href="/articles/') >= 2 * on_page > 0
