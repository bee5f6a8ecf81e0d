"""Keep only a hash of each API token, and the fingerprint of its user's password.

Tokens issued before keep working: each is hashed in place, with its user's password as it
is now, so they stop at the next password change like new ones."""
import hashlib

from django.db import migrations, models


def hash_plain_tokens(apps, schema_editor):
    # The same digests as workbench.models.token_hash and password_fingerprint; a migration
    # keeps its own copy so that later changes to the model cannot change what it did.
    ApiToken = apps.get_model("workbench", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.key_hash = hashlib.sha256(token.key.encode()).hexdigest()
        token.prefix = token.key[:8]
        token.password_fingerprint = hashlib.sha256((token.user.password or "").encode()).hexdigest()
        token.save(update_fields=["key_hash", "prefix", "password_fingerprint"])


def forget_tokens(apps, schema_editor):
    # Going back: a hash cannot be turned back into the token, so the old tokens are gone.
    apps.get_model("workbench", "ApiToken").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("workbench", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="SHA-256 of the token"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(default="", editable=False, max_length=8,
                                   help_text="The token's first characters, to tell tokens apart; not a secret."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="key"),
        migrations.AlterField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="SHA-256 of the token"),
        ),
        # Last, so that going back empties the table before the unique plain key returns.
        migrations.RunPython(migrations.RunPython.noop, forget_tokens),
    ]
