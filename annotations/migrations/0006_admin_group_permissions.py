"""The `admin` role's model permissions, so a staff admin who is not a superuser can work in
the Django admin (README, Roles: "admin: everything ... the Django admin needs staff status").

Reviewers and leads get none: they are not staff and work in the workbench's own pages.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")
# app label -> model name -> the actions the admin group may take on it.
ADMIN_PERMISSIONS = {
    "annotations": {
        **{model: ALL for model in ("source", "claim", "contradiction", "fact", "evidence",
                                    "importbatch", "importfile")},
        # The change history is kept, never edited by hand: reverting makes a new version.
        **{model: ("view",) for model in ("historicalsource", "historicalclaim", "historicalcontradiction",
                                          "historicalcontradiction_claims", "historicalfact",
                                          "historicalevidence")},
    },
    "workbench": {"apitoken": ALL},
    # No delete: deleting an account blanks the author of every claim, contradiction and fact it
    # made (SET_NULL), so an admin deactivates it (Active off) instead; a superuser may still
    # delete. Groups are the roles this app's migrations create: deleting one breaks the roles.
    "auth": {"user": ("add", "change", "view"), "group": ("add", "change", "view")},
    # The lockout page sends a locked-out reviewer to an admin: deleting their access attempt
    # (Django admin -> Access attempts) is how it is lifted early.
    "axes": {"accessattempt": ("view", "delete"), "accesslog": ("view",), "accessfailurelog": ("view",)},
}


def _codenames(app_label: str):
    for model, actions in ADMIN_PERMISSIONS[app_label].items():
        for action in actions:
            yield f"{action}_{model}"


def _admin_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label in ADMIN_PERMISSIONS:
        codenames = set(_codenames(app_label))
        permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = codenames - {p.codename for p in permissions}
        if missing:  # a model renamed since: fail loudly rather than grant less than promised
            raise RuntimeError(f"Permissions not found for {app_label}: {', '.join(sorted(missing))}")
        found += permissions
    return found


def grant_admin_permissions(apps, schema_editor):
    # On a fresh database permissions are made by post_migrate, after every migration has run:
    # make them now (for the historical models as they stand at this migration).
    for app_label in ADMIN_PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's app configs have none
        create_permissions(app_config, verbosity=0, interactive=False,
                           using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None
    admin, _ = apps.get_model("auth", "Group").objects.get_or_create(name="admin")
    admin.permissions.add(*_admin_permissions(apps))


def revoke_admin_permissions(apps, schema_editor):
    admin = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if admin is not None:
        admin.permissions.remove(*_admin_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_text_limits"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workbench", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant_admin_permissions, revoke_admin_permissions)]
