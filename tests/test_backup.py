"""manage.py backup / restore: the whole database, history included, into a fresh database.

The commands run in subprocesses against two real databases of their own (two SQLite files, or
two PostgreSQL databases), exactly as an operator runs them: migrate, backup, migrate, restore.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent

POPULATE = """
import datetime
from django.contrib.auth.models import User
from measures.attribution import acting_as
from measures.models import *
from measures.access import ensure_roles

coordinator, contributor, viewer = ensure_roles()
alice = User.objects.create_user("alice", password="x", first_name="Alice", is_staff=True)
alice.groups.add(coordinator)
police = Organisation.objects.create(name="Politie", abbreviation="Politie", kind="police")
om = Organisation.objects.create(name="Openbaar Ministerie", abbreviation="OM", kind="prosecution")
bob = User.objects.create_user("bob", password="x")
bob.groups.add(contributor)
Profile.objects.create(user=alice, organisation=police)
Profile.objects.create(user=bob, organisation=om)
nl = Country.objects.create(name="Nederland", code="NL")
with acting_as(alice, "test setup"):
    kst = Theme.objects.create(code="kst", name="Kindersekstoerisme")
    plan = Plan.objects.create(title="Plan van aanpak", owner=police)
    plan.themes.add(kst)
    line = ActionLine.objects.create(plan=plan, name="Preventie")
    first = Measure.objects.create(plan=plan, action_line=line, theme=kst, owner=police,
                                   title="Handboek", budget_eur="1500.25",
                                   joined_on=datetime.date(2000, 1, 1))
    first.partners.add(om)
    first.countries.add(nl)
    gone = Measure.objects.create(plan=plan, theme=kst, owner=om, title="Vervalt")
    gone.delete()
    first.title = "Handboek (herzien)"
    first.save()
    first.log_progress(by=alice, text="Klaar", date=datetime.date(2016, 3, 1),
                       status="completed")
    update = first.log_progress(by=bob, text="Concept", approved=False)
    update.approve(by=alice)
    commitment = Commitment.objects.create(title="Toezegging", text="Wij gaan", made_by="Minister")
    commitment.measures.add(first)
print(Measure.history.count())
"""

TABLES = """
import json
from django.db import connection
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        if table == "django_migrations":
            continue  # Each database records when its own migrations ran.
        cursor.execute(f'SELECT * FROM "{table}"')
        tables[table] = sorted(json.dumps(list(row), default=str) for row in cursor.fetchall())
print(json.dumps(tables))
"""

AFTER_RESTORE = """
from django.contrib.auth.models import User
from django.db.models import Max
from measures.attribution import acting_as
from measures.models import Measure

highest_ever = Measure.history.aggregate(m=Max("id"))["m"]
alice = User.objects.get(username="alice")
first = Measure.objects.get(title="Handboek (herzien)")
with acting_as(alice, "after restore"):
    new = Measure.objects.create(plan=first.plan, theme=first.theme, owner=first.owner,
                                 title="Na het terugzetten")
print(new.pk > highest_ever, new.history.count())
"""


def manage(database_url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-for-backup-tests-0123456789")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def tables(database_url):
    return json.loads(manage(database_url, "shell", "--no-imports", "-c", TABLES).stdout)


def round_trip(source, target, backup_file):
    manage(source, "migrate", "--noinput", "-v", "0")
    manage(source, "shell", "--no-imports", "-c", POPULATE)
    manage(source, "backup", str(backup_file))
    manage(target, "migrate", "--noinput", "-v", "0")
    manage(target, "restore", str(backup_file))

    before, after = tables(source), tables(target)
    assert before.keys() == after.keys()
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    for table in [
        "auth_user",
        "measures_measure",
        "measures_measure_partners",
        "measures_progressupdate",
        "measures_historicalmeasure",
        "measures_historicalmeasure_partners",
        "measures_historicalprogressupdate",
        "measures_historicalplan_themes",
        "measures_historicalcommitment_measures",
    ]:
        assert before[table], f"the test data should fill {table}"
    deleted = [json.loads(r) for r in after["measures_historicalmeasure"]]
    assert any("Vervalt" in row and "-" in row for row in deleted), "history of a deleted row"

    refused = manage(target, "restore", str(backup_file), check=False)
    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr

    # New rows get ids never used before, not even by a deleted measure whose history is kept,
    # and history works as before.
    after_restore = manage(target, "shell", "--no-imports", "-c", AFTER_RESTORE)
    assert after_restore.stdout.split() == ["True", "1"]


def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    round_trip(
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'target.sqlite3'}",
        tmp_path / "backup.json.gz",
    )


def test_restore_refuses_a_database_that_is_not_migrated(tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text("[]")
    result = manage(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "restore", str(backup), check=False)
    assert result.returncode != 0
    assert "run `manage.py migrate` first" in result.stderr


def test_backup_wants_a_json_file_name(tmp_path):
    result = manage(f"sqlite:///{tmp_path / 'x.sqlite3'}", "backup", "backup.zip", check=False)
    assert result.returncode != 0
    assert "must end in .json" in result.stderr


# --- PostgreSQL ----------------------------------------------------------------------------


def postgres_server():
    """Return (host, port, user) of the PostgreSQL to use: DATABASE_URL's, or the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        return parsed.hostname or "127.0.0.1", parsed.port or 5432, parsed.username or "postgres"
    return (
        os.environ.get("PGHOST", "127.0.0.1"),
        int(os.environ.get("PGPORT", "5432")),
        os.environ.get("PGUSER", "postgres"),
    )


def postgres_required():
    url = os.environ.get("DATABASE_URL", "")
    return url.startswith(("postgres://", "postgresql://")) or os.environ.get("CI") == "true"


@pytest.fixture
def postgres_databases():
    import psycopg

    host, port, user = postgres_server()
    try:
        admin = psycopg.connect(
            host=host, port=port, user=user, dbname="postgres", connect_timeout=3, autocommit=True
        )
    except psycopg.OperationalError as exc:
        if postgres_required():
            pytest.fail(f"PostgreSQL at {host}:{port} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {host}:{port} is not reachable")
    names = [f"tracker_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "target")]
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"postgres://{user}@{host}:{port}/{name}" for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_and_restore_round_trip_on_postgresql(tmp_path, postgres_databases):
    source, target = postgres_databases
    round_trip(source, target, tmp_path / "backup.json")
