"""Load a backup made by `backup` into an empty, migrated database, history included."""

from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.test.utils import override_settings

from measures.backup import MADE_BY_MIGRATE, NOT_BACKED_UP_APPS, BackupError, load_backup


class Command(BaseCommand):
    """Not a TrackerCommand on purpose: that one would create the system account in the empty
    database before the backup's own copy of it is loaded."""

    help = (
        "Restore a backup made with `manage.py backup` into an EMPTY database on which "
        "`manage.py migrate` has run. Everything is loaded in one transaction with the original "
        "primary keys; the history rows are loaded as they were and no new ones are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.json, .json.gz, …).")

    def handle(self, *args, **options):
        path = Path(options["file"]).resolve()
        if not path.is_file():
            raise CommandError(f"No backup file {path}.")
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database is not fully migrated: run `manage.py migrate` first. "
                "Nothing was restored."
            )
        holding = [
            model._meta.label
            for model in apps.get_models(include_auto_created=True)
            if model not in MADE_BY_MIGRATE
            and model._meta.app_label not in NOT_BACKED_UP_APPS
            and model._base_manager.exists()
        ]
        if holding:
            raise CommandError(
                "The database is not empty (it holds "
                + ", ".join(holding[:5])
                + (" …" if len(holding) > 5 else "")
                + "). Restore only into a new, migrated database. Nothing was restored."
            )
        # Loading saves rows "raw", which simple-history ignores; setting the many-to-many
        # relations sends m2m_changed, which it would record: history stays off while loading,
        # so the restored history is exactly the backed-up one.
        try:
            with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
                load_backup(path)
                self.reset_sequences(connection)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        self.stdout.write(f"Restored {path}.")

    def reset_sequences(self, connection):
        """Set every id counter past the highest id ever used, deleted rows included.

        Django's `sequence_reset_sql` stops at the highest id in the table; an id of a deleted
        measure, still in its history, would then be handed out again and the new measure would
        inherit the old one's history. The history tables remember those ids, so the counters
        go past them. PostgreSQL keeps the counter in a sequence, SQLite in sqlite_sequence.
        """
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            highest = model._base_manager.aggregate(m=Max(pk.attname))["m"] or 0
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model"):
                used = history.model._base_manager.aggregate(m=Max(pk.attname))["m"] or 0
                highest = max(highest, used)
            set_counter(connection, model._meta.db_table, pk.column, highest)


def set_counter(connection, table, column, highest):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                [connection.ops.quote_name(table), column, max(highest, 1), highest > 0],
            )
        elif connection.vendor == "sqlite" and highest > 0:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
            )
        elif connection.vendor not in ("postgresql", "sqlite"):
            statements = connection.ops.sequence_reset_by_name_sql(
                no_style(), [{"table": table, "column": column}]
            )
            for statement in statements:
                cursor.execute(statement)
