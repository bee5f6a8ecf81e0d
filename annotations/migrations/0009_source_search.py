"""Full-text search over the sources' text (annotations/search.py): on SQLite an FTS5 table
kept in step by triggers and filled with the sources already there; on PostgreSQL a GIN index
on to_tsvector('simple', text). Each database gets only its own.
"""
from django.db import migrations

from annotations.search import (
    PG_CONFIG,
    PG_INDEX,
    SQLITE_CREATE_TABLE,
    SQLITE_DROP,
    SQLITE_REBUILD,
    SQLITE_TRIGGERS,
)


class RunSQLOn(migrations.RunSQL):
    """RunSQL on one database vendor only (FTS5 is SQLite's; the other does nothing)."""

    def __init__(self, vendor: str, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _pg_index():
    # The index is built by the same expression the search filters on (SearchVector with
    # PG_CONFIG, which wraps the text in COALESCE), so PostgreSQL uses it.
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("text", config=PG_CONFIG), name=PG_INDEX)


def pg_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("annotations", "Source"), _pg_index())


def pg_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("annotations", "Source"), _pg_index())


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_admin_group_permissions")]

    operations = [
        RunSQLOn("sqlite", [SQLITE_CREATE_TABLE, *SQLITE_TRIGGERS.values(), SQLITE_REBUILD],
                 reverse_sql=SQLITE_DROP),
        migrations.RunPython(pg_index_create, pg_index_drop),
    ]
