"""Stories as lists, feeds and story pages read them: places, credits and lead photos without joins.

Each is an iterable of a queryset (``StoryQuerySet.for_listing()`` and its
siblings choose one): the stories are read as usual, then what they show is
set on them for the whole page at once.
"""

from collections import defaultdict

from django.db import connections

from newsroom import images

from .rows import ModelIterable, database_of, related_model, set_prefetched, set_related


class StoriesWithPlaces(ModelIterable):
    """Stories with their region (its parents too) and bureau taken from ``Region.objects.map()``.

    Instead of joins: each join costs PostgreSQL planning time, and a list's query planned with
    the regions' and bureaus' tables took longer to plan than to run. A region or bureau the map
    does not know yet is read when it is first used, as without the map.
    """

    def __iter__(self):
        region_map = related_model(self.queryset.model, "region").objects.map()
        for story in super().__iter__():
            if (region := region_map.by_pk.get(story.region_id)) is not None:
                set_related(story, "region", region)
            if (bureau := region_map.bureau_by_pk.get(story.bureau_id)) is not None:
                set_related(story, "bureau", bureau)
            yield story


class StoriesForLists(StoriesWithPlaces):
    """Stories as lists show them: with places (above), and each one's lead photo with its thumbnails.

    The lead photos' renditions are read for the whole list in one query (``attach_lead_photos``).
    Django's prefetching would read the same rows but build a queryset for every story and every
    photo, and a model instance for every row, which took a list page longer than the query itself.
    Only the renditions of ``picture_size`` are read.
    """

    picture_size = "thumb"

    def __iter__(self):
        stories = list(super().__iter__())
        attach_lead_photos(stories, self.picture_size)
        yield from stories


class StoriesWithCredits(StoriesWithPlaces):
    """Stories with places (above) and their credits, read for them all in one query (``attach_credits``)."""

    def __iter__(self):
        stories = list(super().__iter__())
        attach_credits(stories)
        yield from stories


class StoriesForFeeds(StoriesForLists):
    """As for lists, with the renditions of the story page's size, which a feed encloses, and the credits."""

    picture_size = "article"

    def __iter__(self):
        stories = list(super().__iter__())
        attach_credits(stories)
        yield from stories


class StoriesForSitemaps(StoriesForLists):
    """As for lists, with the renditions of the story page's size: a sitemap names the largest JPEG."""

    picture_size = "article"


def attach_credits(stories):
    """Set each story's credits, with their correspondents, in one query for them all.

    As ``prefetch_related("credits")`` would leave them (``story.credits.all()`` reads them),
    without the queryset Django's prefetching builds and filters for every story: a feed of
    thirty stories spent longer on those than on the query.
    """
    if not stories:
        return
    credit_model = related_model(type(stories[0]), "credits")
    credits = defaultdict(list)
    rows = (
        credit_model.objects.filter(story__in=[story.pk for story in stories])
        .select_related("correspondent")
        # What a byline and a credit line show: not a correspondent's telephone or address.
        .only("story", "title", "contribution", "position", "correspondent__name")
    )
    for credit in rows:
        credits[credit.story_id].append(credit)
    for story in stories:
        set_prefetched(story, "credits", credits[story.pk])


def attach_lead_photos(stories, size):
    """Set each story's ``lead_photo`` (an ``images.LeadPhoto``) with its renditions for ``size``, in one query.

    The lead photo is a story's first (by position); its renditions are those made from its present
    original and no wider than the use's widest width (a narrower original's are narrower still).
    A story without a photo, or whose lead photo has none of them yet, gets None: no thumbnail, no enclosure.

    The query is written out (``LEAD_RENDITIONS``): built through the ORM, with its subquery and
    join, it took three times as long to put together as the database took to answer it.
    """
    if not stories:
        return
    photo_model = related_model(type(stories[0]), "photos")
    rendition_model = related_model(photo_model, "renditions")
    ids = [story.pk for story in stories]
    sql = LEAD_RENDITIONS.format(
        photo=photo_model._meta.db_table,
        rendition=rendition_model._meta.db_table,
        ids=", ".join(["%s"] * len(ids)),
    )
    with connections[database_of(stories[0])].cursor() as cursor:
        cursor.execute(sql, [*ids, max(images.SIZES[size])])
        rows = cursor.fetchall()
    storage = rendition_model._meta.get_field("file").storage
    originals, renditions = {}, defaultdict(list)
    for story_id, original_width, alt, image_format, width, height, name, filesize in rows:
        originals[story_id] = (original_width, alt)
        renditions[story_id].append(images.RenditionFile(image_format, width, height, name, filesize, storage))
    for story in stories:
        if story.pk in originals:
            width, alt = originals[story.pk]
            story.lead_photo = images.LeadPhoto(width, tuple(renditions[story.pk]), alt)
        else:
            story.lead_photo = None


# Each listed story's first photo (by position, then id) and those of its renditions that were made
# from its present original and are no wider than a width.
LEAD_RENDITIONS = """
    SELECT photo.story_id, photo.width, photo.alt, rendition.format, rendition.width, rendition.height,
           rendition.file, rendition.filesize
    FROM {photo} photo JOIN {rendition} rendition ON rendition.photo_id = photo.id
    WHERE photo.story_id IN ({ids})
      AND photo.id = (SELECT earliest.id FROM {photo} earliest WHERE earliest.story_id = photo.story_id
                      ORDER BY earliest.position, earliest.id LIMIT 1)
      AND rendition.source = photo.image AND rendition.width <= %s
"""
