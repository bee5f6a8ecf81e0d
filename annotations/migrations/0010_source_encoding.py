from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0006_admin_group_permissions"),
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
    ]
