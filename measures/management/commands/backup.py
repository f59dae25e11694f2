"""Write the whole database, history included, to one JSON file that `restore` reads back."""

import bz2
import datetime
import gzip
import lzma
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction

# Content types and permissions are made by `migrate` in the target database; everything that
# points at them is written with natural keys (app label and model name), so their ids may differ.
MADE_BY_MIGRATE = (ContentType, Permission)
OPENERS = {
    ".json": open,
    ".json.gz": gzip.open,
    ".json.bz2": bz2.open,
    ".json.xz": lzma.open,
    ".json.lzma": lzma.open,
}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keep the microseconds of times: Django's encoder cuts them to milliseconds, which would
    give two history records made within one millisecond the same history_date."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def backup_models():
    """Return every concrete model in an order that loads (what dumpdata would write)."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model not in MADE_BY_MIGRATE
        and not model._meta.proxy
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]


def all_objects(models):
    for model in models:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


class Command(BaseCommand):
    help = (
        "Back up the whole database (every app, users and groups, the history tables) to FILE "
        "(.json, or compressed .json.gz / .json.bz2 / .json.xz). Restore it with "
        "`manage.py restore FILE` into an empty, migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write, e.g. backup-2026-11-23.json.gz")

    def handle(self, *args, **options):
        path = Path(options["file"])
        opener = next((o for ext, o in OPENERS.items() if path.name.endswith(ext)), None)
        if opener is None:
            raise CommandError(f"The backup file must end in {' or '.join(OPENERS)}.")
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent}.")
        with transaction.atomic(), opener(path, "wt", encoding="utf-8") as stream:
            if connection.vendor == "postgresql":
                # Every table as of one moment, while the site goes on working.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            serializers.serialize(
                "json",
                all_objects(backup_models()),
                stream=stream,
                use_natural_foreign_keys=True,
                cls=ExactJSONEncoder,
            )
        self.stdout.write(f"Backup written to {path}.")
