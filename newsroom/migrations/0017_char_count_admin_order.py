"""Each story keeps its character count (``Story.char_count``), which the records page sums for fees;
the desk's list of every story reads newest first from an index of its own.

The stories already written get their counts here, from their headline and body as stored. On
PostgreSQL the published stories' times are indexed with what the records page counts of them
(kind, bureau, characters), so that a year's stories are read from the index alone.
"""

import importlib

from django.db import migrations, models

BATCH = 2000


def count_characters(apps, schema_editor):
    from newsroom.models import characters_of

    Story = apps.get_model("newsroom", "Story")
    stories = Story.objects.order_by("pk").only("headline", "body", "char_count")
    last = 0
    while batch := list(stories.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        for story in batch:
            story.char_count = characters_of(story.headline, story.body)
        Story.objects.bulk_update(batch, ["char_count"])


RECORDS_INDEX = (
    "CREATE INDEX story_records_period ON newsroom_story (published_at) INCLUDE (id, kind, bureau_id, char_count) "
    "WHERE status = 'published'"
)


def search_triggers_again(apps, schema_editor):
    """SQLite adds a column by making the table anew, which drops its triggers: the search index's are made again."""
    if schema_editor.connection.vendor == "sqlite":
        search_indexes = importlib.import_module("newsroom.migrations.0005_search_indexes")
        for sql in search_indexes.SQLITE:
            schema_editor.execute(sql)


def add_records_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RECORDS_INDEX)


def drop_records_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS story_records_period")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0016_front_and_topics")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="char_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="字数"),
        ),
        migrations.RunPython(search_triggers_again, migrations.RunPython.noop),
        migrations.RunPython(count_characters, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["-published_at", "-id"], name="story_admin_order"),
        ),
        migrations.RunPython(add_records_index, drop_records_index),
    ]
