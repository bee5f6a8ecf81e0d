from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Sources, claims and facts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_search_index_repair, sender=self)


def _search_index_repair(using="default", plan=None, **kwargs):
    """After migrations: a migration that rebuilt the sources' table on SQLite dropped the
    full-text index's triggers; make them again (annotations.search.index_repair). Not before
    the index exists (a database migrated only part of the way)."""
    from django.db import connections

    from .search import FTS_TABLE, index_repair

    if connections[using].vendor == "sqlite" and FTS_TABLE in connections[using].introspection.table_names():
        index_repair(using=using)
