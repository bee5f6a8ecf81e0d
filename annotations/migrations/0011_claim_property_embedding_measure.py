from django.db import migrations, models


def measures_their_own_kind(apps, schema_editor):
    """Measures were saved as "other" claims whose value says "measure": they get their kind,
    and so do the contradictions between them (a fact's evidence is looked up by kind)."""
    Claim = apps.get_model("annotations", "Claim")
    Contradiction = apps.get_model("annotations", "Contradiction")
    Claim.objects.filter(kind="other", value__type="measure").update(kind="measure")
    mixed = Claim.objects.exclude(kind="measure").filter(contradictions__isnull=False).values("contradictions")
    Contradiction.objects.filter(kind="other", claims__kind="measure").exclude(pk__in=mixed).update(kind="measure")


def measures_back_to_other(apps, schema_editor):
    """Back to "other", except a measure claim whose span someone also tagged "other" since
    (two claims of one kind on one span cannot be): it stays a measure, with no choice label."""
    Claim = apps.get_model("annotations", "Claim")
    Contradiction = apps.get_model("annotations", "Contradiction")
    Contradiction.objects.filter(kind="measure").update(kind="other")
    twins = Claim.objects.filter(kind="other").values_list("source_id", "start", "end")
    taken = set(twins)
    movable = [c.pk for c in Claim.objects.filter(kind="measure").only("source_id", "start", "end")
               if (c.source_id, c.start, c.end) not in taken]
    Claim.objects.filter(pk__in=movable).update(kind="other")


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
