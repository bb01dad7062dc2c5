"""Search finds a story by its credited people's names: they join its search text.

Every story's search text is composed again (``models.search_text_of``), with its
credits' names in their order; only the stories whose text changes are written.
On PostgreSQL the indexes follow, on SQLite the FTS5 table's triggers do.
"""

from django.db import migrations

BATCH = 2000


def add_names(apps, schema_editor):
    from newsroom.models import search_text_of

    Story = apps.get_model("newsroom", "Story")
    Credit = apps.get_model("newsroom", "Credit")
    stories = Story.objects.order_by("pk").only("kicker", "headline", "subheadline", "body", "search_text")
    last = 0
    while batch := list(stories.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        names = {}
        credits = (
            Credit.objects.filter(story__in=[story.pk for story in batch])
            .order_by("story", "position", "pk")
            .values_list("story", "correspondent__name")
        )
        for story_id, name in credits:
            names.setdefault(story_id, []).append(name)
        changed = []
        for story in batch:
            text = search_text_of(story.kicker, story.headline, story.subheadline, story.body, names.get(story.pk, []))
            if text != story.search_text:
                story.search_text = text
                changed.append(story)
        Story.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0011_undo_fingerprint")]

    # Backwards there is nothing to undo: text with names serves the search without them too.
    operations = [migrations.RunPython(add_names, migrations.RunPython.noop)]
