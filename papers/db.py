"""Database helpers shared by migrations."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """SQL that only PostgreSQL runs (GIN indexes for full-text search); a no-op on SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
