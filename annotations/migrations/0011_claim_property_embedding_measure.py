from django.db import migrations, models


def measures_their_own_kind(apps, schema_editor):
    """Measures were saved as "other" claims whose value says "measure": they get their kind."""
    Claim = apps.get_model("annotations", "Claim")
    Claim.objects.filter(kind="other", value__type="measure").update(kind="measure")


def measures_back_to_other(apps, schema_editor):
    Claim = apps.get_model("annotations", "Claim")
    Claim.objects.filter(kind="measure").update(kind="other")


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0010_source_encoding'),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='embedding',
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='property',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='property',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='claim',
            name='kind',
            field=models.CharField(choices=[('date', 'Date'), ('money', 'Money'), ('count', 'Count'), ('percent', 'Percent'), ('duration', 'Duration'), ('measure', 'Measure (distance, weight, …)'), ('entity', 'Entity / office holder'), ('other', 'Other')], max_length=20),
        ),
        migrations.AlterField(
            model_name='contradiction',
            name='kind',
            field=models.CharField(choices=[('date', 'Date'), ('money', 'Money'), ('count', 'Count'), ('percent', 'Percent'), ('duration', 'Duration'), ('measure', 'Measure (distance, weight, …)'), ('entity', 'Entity / office holder'), ('other', 'Other')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='kind',
            field=models.CharField(choices=[('date', 'Date'), ('money', 'Money'), ('count', 'Count'), ('percent', 'Percent'), ('duration', 'Duration'), ('measure', 'Measure (distance, weight, …)'), ('entity', 'Entity / office holder'), ('other', 'Other')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalcontradiction',
            name='kind',
            field=models.CharField(choices=[('date', 'Date'), ('money', 'Money'), ('count', 'Count'), ('percent', 'Percent'), ('duration', 'Duration'), ('measure', 'Measure (distance, weight, …)'), ('entity', 'Entity / office holder'), ('other', 'Other')], max_length=20),
        ),
        migrations.RunPython(measures_their_own_kind, measures_back_to_other),
    ]
