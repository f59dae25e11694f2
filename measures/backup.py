"""The backup file: written by `manage.py backup`, read back by `manage.py restore`.

A backup is one JSON array of Django's serialized objects (what dumpdata writes), optionally
compressed. It holds the data and its history, never login state: sessions and django-axes'
records of failed logins are left out. The file is readable by its owner only, and it appears
under its name only once complete. Reading streams it, one object at a time, so a damaged or
hostile file (a small gzip of gigabytes of spaces) is refused after TRACKER_BACKUP_MAX_RECORD_CHARS
instead of filling the memory.
"""

import bz2
import datetime
import gzip
import io
import json
import lzma
import os
import re
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

# Content types and permissions are made by `migrate` in the target database; everything that
# points at them is written with natural keys (app label and model name), so their ids may differ.
MADE_BY_MIGRATE = (ContentType, Permission)
# Login state, not data: sessions (a restored session would log its holder in again) and failed
# logins (addresses of people, and lock-outs that belong to the old server).
NOT_BACKED_UP_APPS = {"sessions", "axes"}
OPENERS = {
    ".json": None,
    ".json.gz": gzip.open,
    ".json.bz2": bz2.open,
    ".json.xz": lzma.open,
    ".json.lzma": lzma.open,
}
CHUNK = 64 * 1024
WHITESPACE = re.compile(r"[ \t\n\r]*")


class BackupError(Exception):
    """The backup file cannot be read; the message says why."""


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


def opener_for(path):
    """Return the opener for the backup file name `path`, or raise BackupError."""
    for ending, opener in OPENERS.items():
        if Path(path).name.endswith(ending):
            return opener
    raise BackupError(f"The backup file must end in {' or '.join(OPENERS)}.")


def backup_models():
    """Return every concrete model to back up, in an order that loads (as dumpdata would)."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model not in MADE_BY_MIGRATE
        and model._meta.app_label not in NOT_BACKED_UP_APPS
        and not model._meta.proxy
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]


def all_objects(models):
    for model in models:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


@contextmanager
def writing(path):
    """Open `path` for writing a backup as text: mode 0600 whatever the umask, written under a
    temporary name and renamed into place only when complete."""
    path = Path(path)
    opener = opener_for(path)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # The file may have existed with wider rights.
    try:
        with os.fdopen(fd, "wb") as raw:
            binary = opener(raw, "wb") if opener else raw
            with io.TextIOWrapper(binary, encoding="utf-8") as stream:
                yield stream
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def write_backup(path):
    """Write every backed-up object to `path` (in the caller's transaction)."""
    with writing(path) as stream:
        serializers.serialize(
            "json",
            all_objects(backup_models()),
            stream=stream,
            use_natural_foreign_keys=True,
            cls=ExactJSONEncoder,
        )


def read_objects(stream, *, limit):
    """Yield the objects of the JSON array in the text `stream`, reading it piece by piece.

    At most about twice `limit` characters are held at a time: a file with no complete object
    (or only whitespace) within `limit` characters is refused with BackupError."""
    decoder = json.JSONDecoder()
    buffer, done = "", 0  # `done`: where the text not yet taken (whitespace included) begins
    expect = "["  # then "value or ]", "value", ", or ]", "end"
    at_end = False
    while True:
        pos = WHITESPACE.match(buffer, done).end()
        if pos < len(buffer):
            char = buffer[pos]
            if expect == "[":
                if char != "[":
                    raise BackupError("This is not a backup: it does not start with a JSON list.")
                done, expect = pos + 1, "value or ]"
                continue
            if expect == "end":
                raise BackupError("The backup has text after its end: it is damaged.")
            if char == "]" and expect in (", or ]", "value or ]"):
                done, expect = pos + 1, "end"
                continue
            if expect == ", or ]":
                if char != ",":
                    raise BackupError("The backup is damaged: a record is not followed by a comma.")
                done, expect = pos + 1, "value"
                continue
            try:
                obj, done = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError:
                if at_end:
                    raise BackupError("The backup ends in the middle of a record.") from None
            else:
                if not isinstance(obj, dict):
                    raise BackupError("The backup holds something other than records.")
                yield obj
                expect = ", or ]"
                continue
        if at_end:
            if expect != "end":
                raise BackupError("The backup ends before its list is closed: it is incomplete.")
            return
        pending = len(buffer) - done
        if pending > limit:
            raise BackupError(
                f"The backup has no complete record within {limit:,} characters: it is damaged "
                "or not a backup."
            )
        # Read as much again as is pending, so that a large record is parsed a few times only.
        piece = stream.read(max(CHUNK, pending))
        at_end = not piece
        buffer, done = buffer[done:] + piece, 0


@contextmanager
def reading(path):
    """Open the backup `path` as text."""
    opener = opener_for(path) or open
    with opener(path, "rt", encoding="utf-8") as stream:
        yield stream


def load_backup(path, using=DEFAULT_DB_ALIAS):
    """Load every object of the backup `path` with its own primary key (as loaddata does, but
    streaming); return the number loaded. Run it inside a transaction."""
    connection = connections[using]
    limit = settings.TRACKER_BACKUP_MAX_RECORD_CHARS
    loaded, deferred, models = 0, [], set()
    try:
        with reading(path) as stream, connection.constraint_checks_disabled():
            objects = PythonDeserializer(
                read_objects(stream, limit=limit), using=using, handle_forward_references=True
            )
            for obj in objects:
                models.add(type(obj.object))
                obj.save(using=using)
                loaded += 1
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
    except (OSError, EOFError, UnicodeDecodeError, lzma.LZMAError) as error:
        raise BackupError(f"The backup could not be read: {error}") from None
    except (serializers.base.DeserializationError, DatabaseError, ValueError) as error:
        raise BackupError(f"The backup could not be loaded: {error}") from None
    return loaded
