from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0009_source_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="encoding",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="encoding",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="encoding",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="reading_title",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="reading_fraction",
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, help_text="When the worker last started on it.", null=True),
        ),
    ]
