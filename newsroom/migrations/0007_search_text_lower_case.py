"""Reader search matches ``search_text`` as it is stored, so it is stored in lower case.

Only stories whose text has capitals (Latin letters, mostly) are rewritten;
on PostgreSQL the indexes follow, on SQLite the FTS5 table's triggers do.
"""

from django.db import migrations

BATCH = 2000


def lower_case(apps, schema_editor):
    Story = apps.get_model("newsroom", "Story")
    changed = []
    for pk, text in Story.objects.values_list("pk", "search_text").iterator(chunk_size=BATCH):
        if text != text.lower():
            changed.append(Story(pk=pk, search_text=text.lower()))
        if len(changed) >= BATCH:
            Story.objects.bulk_update(changed, ["search_text"])
            changed = []
    Story.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0006_list_indexes")]

    # Backwards there is nothing to undo: search was case-insensitive before, and lower-case text serves it too.
    operations = [migrations.RunPython(lower_case, migrations.RunPython.noop)]
