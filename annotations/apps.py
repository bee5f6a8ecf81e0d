from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Sources, claims and facts"
    default_auto_field = "django.db.models.BigAutoField"
