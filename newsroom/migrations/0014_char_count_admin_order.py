"""Each story keeps its character count (``Story.char_count``), which the records page sums for fees;
the desk's list of every story reads newest first from an index of its own.

The stories already written get their counts here, from their headline and body as stored.
"""

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


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0013_printed_pages")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="char_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="字数"),
        ),
        migrations.RunPython(count_characters, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["-published_at", "-id"], name="story_admin_order"),
        ),
    ]
