from django.db import migrations, models


def record_each_batchs_issue(apps, schema_editor):
    """Batches made before a batch could span issues touched the one issue they name."""
    ImportBatch = apps.get_model("newsroom", "ImportBatch")
    Through = ImportBatch.issues.through
    Through.objects.bulk_create(
        Through(importbatch_id=batch_id, issue_id=issue_id)
        for batch_id, issue_id in ImportBatch.objects.filter(issue__isnull=False).values_list("pk", "issue_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0009_background_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="issues",
            field=models.ManyToManyField(
                blank=True, related_name="touching_batches", to="newsroom.issue", verbose_name="涉及各期"
            ),
        ),
        migrations.RunPython(record_each_batchs_issue, migrations.RunPython.noop),
    ]
