"""The backup file itself: readable by its owner only, without login state, and read back in
bounded memory (a small gzip of gigabytes of spaces is refused early)."""

import gzip
import json
import os
import stat
import tracemalloc

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError

# The backup command opens its own transaction (REPEATABLE READ on PostgreSQL), as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


def models_in(path):
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return {record["model"] for record in json.load(stream)}


def test_the_backup_is_readable_by_its_owner_only_whatever_the_umask(tmp_path, open_umask, alice):
    path = tmp_path / "backup.json.gz"
    path.write_bytes(b"old")
    path.chmod(0o666)  # an earlier file with wide rights is replaced, not reused
    call_command("backup", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "auth.user" in models_in(path)
    assert not list(tmp_path.glob("*.partial"))


def test_a_failed_backup_leaves_no_file_under_its_name(tmp_path):
    path = tmp_path / "gone" / "backup.json"
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(path))
    assert not path.exists()


def test_sessions_and_failed_logins_are_not_backed_up(client, tmp_path, alice, vera):
    client.post("/accounts/login/", {"username": "vera", "password": "wrong"})
    client.force_login(alice)
    assert AccessAttempt.objects.exists()
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path))
    models = models_in(path)
    assert "measures.profile" in models
    assert not [m for m in models if m.startswith(("sessions.", "axes."))]


def spaces_bomb(path, megabytes):
    """Write a gzip of '[' and `megabytes` MB of spaces: one compressed megabyte of spaces
    repeated as gzip members (a valid gzip file of a few kilobytes per 100 MB)."""
    member = gzip.compress(b" " * (1024 * 1024), compresslevel=9)
    with path.open("wb") as out:
        out.write(gzip.compress(b"["))
        for _ in range(megabytes):
            out.write(member)
    return path


def restore_measured(path):
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(refused.value), peak


def test_a_gzip_of_spaces_is_refused_early_in_bounded_memory(tmp_path, settings):
    settings.TRACKER_BACKUP_MAX_RECORD_CHARS = 4 * 1024 * 1024
    bomb = spaces_bomb(tmp_path / "bomb.json.gz", 200)
    assert bomb.stat().st_size < 1024 * 1024
    message, peak = restore_measured(bomb)
    assert "no complete record within 4,194,304 characters" in message
    assert "Nothing was restored" in message
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def test_a_gigabyte_and_a_half_of_spaces_is_refused_at_the_default_limit(tmp_path, settings):
    bomb = spaces_bomb(tmp_path / "bomb.json.gz", 1536)
    message, peak = restore_measured(bomb)
    assert "no complete record within" in message
    limit = settings.TRACKER_BACKUP_MAX_RECORD_CHARS
    assert peak < 5 * limit, f"peak {peak / 2**20:.0f} MiB"


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"not": "a list"}', "does not start with a JSON list"),
        (b'[{"model": "measures.theme", "pk": 1, "fields": {"code": "kp"', "middle of a record"),
        (b'[{"model": "nope.nothing", "pk": 1, "fields": {}}]', "could not be loaded"),
    ],
)
def test_a_damaged_backup_is_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "damaged.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))
