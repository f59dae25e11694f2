"""python manage.py import_measures / export_measures: the file round-trips, history records the
importing user, and a bad file writes nothing and exits non-zero."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from measures.models import Measure, ProgressUpdate

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def exported(tmp_path, measure, alice):
    measure.log_progress(by=alice, text="Eerste versie klaar")
    path = tmp_path / "maatregelen.xlsx"
    call_command("export_measures", str(path), stdout=io.StringIO())
    return path


def history_count():
    return Measure.history.count() + ProgressUpdate.history.count()


def edit(path, cell, value, sheet="Maatregelen"):
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


def import_(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_measures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_unchanged_export_imports_as_no_change(exported, alice):
    before = history_count()
    out, _err = import_(str(exported), "--user", "alice")
    assert "0 measures created, 0 updated, 1 unchanged; 0 progress updates added." in out
    assert history_count() == before


def test_an_edited_title_is_saved_with_the_importing_user_and_the_command(exported, measure, bob):
    edit(exported, "G2", "Handboek kindersekstoerisme (herzien)")
    out, _err = import_(str(exported), "--user", "bob")
    assert "changed – Handboek kindersekstoerisme (herzien) (titel)" in out
    record = measure.history.latest("history_date")
    assert record.history_user == bob
    assert record.history_origin == "command import_measures"
    assert record.title == "Handboek kindersekstoerisme (herzien)"


def test_a_bad_row_exits_non_zero_naming_the_row_and_writes_nothing(exported, measure, alice):
    workbook = load_workbook(exported)
    workbook["Maatregelen"]["G2"] = "Nieuwe titel"
    workbook["Maatregelen"].append([None, "Plan van aanpak kindersekstoerisme", "", "kst"])
    workbook.save(exported)
    before = history_count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 row\\(s\\) need correcting. Nothing was written."):
        call_command("import_measures", str(exported), "--user", "alice", stderr=err)
    assert "Maatregelen, row 3: titel: This field cannot be blank." in err.getvalue()
    assert "trekker: This field cannot be null." in err.getvalue()
    assert history_count() == before
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"


def test_a_dry_run_reports_and_writes_nothing(exported, measure, alice):
    edit(exported, "G2", "Nieuwe titel")
    before = history_count()
    out, _err = import_(str(exported), "--dry-run")
    assert "changed – Nieuwe titel (titel)" in out
    assert out.strip().endswith(
        "Dry run, nothing was written: 0 measures created, 1 updated, 0 unchanged; "
        "0 progress updates added."
    )
    assert history_count() == before
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"


def test_an_oversize_file_is_refused(exported, settings):
    settings.TRACKER_MAX_IMPORT_BYTES = 1000
    with pytest.raises(CommandError, match="at most 1000 bytes can be imported"):
        import_(str(exported))


def test_an_unknown_user_is_refused(exported):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        import_(str(exported), "--user", "nobody")


def test_a_missing_file_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="No file"):
        import_(str(tmp_path / "weg.xlsx"))


def test_csv_measures_and_updates_round_trip(tmp_path, measure, alice):
    measure.log_progress(by=alice, text="Eerste versie klaar")
    measures_csv, updates_csv = tmp_path / "m.csv", tmp_path / "u.csv"
    call_command("export_measures", str(measures_csv), stdout=io.StringIO())
    call_command("export_measures", str(updates_csv), "--updates", stdout=io.StringIO())
    assert measures_csv.read_bytes().startswith(b'\xef\xbb\xbf"id";"plan";')
    with updates_csv.open("a", encoding="utf-8", newline="") as f:
        f.write(f";{measure.pk};;2026-01-05;;Tweede versie;;ja;public;;;\r\n")
    before = Measure.history.count()
    out, _err = import_(str(measures_csv), "--updates", str(updates_csv), "--user", "alice")
    assert "1 unchanged; 1 progress updates added." in out
    assert Measure.history.count() == before
    added = measure.updates.get(text="Tweede versie")
    assert added.history.get().history_origin == "command import_measures"


def test_a_stale_row_is_refused_unless_overwrite_is_given(exported, measure, alice):
    measure.title = "Door een ander gewijzigd"
    measure.save_change(by=alice, expected_version=measure.version)
    edit(exported, "H2", "Nieuwe omschrijving")
    with pytest.raises(CommandError):
        import_(str(exported), "--user", "alice")
    assert Measure.objects.get(pk=measure.pk).description == ""
    import_(str(exported), "--user", "alice", "--overwrite")
    measure.refresh_from_db()
    assert (measure.title, measure.description) == (
        "Handboek kindersekstoerisme",
        "Nieuwe omschrijving",
    )
