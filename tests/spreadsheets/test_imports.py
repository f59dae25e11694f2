"""Import of measures and progress updates: validate all, then write row by row with history."""

import datetime
import decimal
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from measures.attribution import acting_as
from measures.models import (
    Country,
    Measure,
    MeasureStatus,
    ProgressUpdate,
    UpdateState,
    Visibility,
)
from measures.spreadsheets import files
from measures.spreadsheets.imports import ImportRefused, import_file, parse_date, parse_decimal
from measures.spreadsheets.layout import MEASURE_COLUMNS, UPDATE_COLUMNS, headers
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

KEYS = [c.key for c in MEASURE_COLUMNS]


@pytest.fixture
def netherlands(db):
    return Country.objects.create(name="Nederland", name_en="Netherlands", code="NL")


@pytest.fixture
def measures(measure, prosecution, ministry, netherlands, alice):
    """Two measures, one with every column filled in, and one progress update."""
    measure.code = "1.2"
    measure.start_date = datetime.date(2015, 1, 1)
    measure.due_date = datetime.date(2016, 6, 30)
    measure.budget_eur = decimal.Decimal("25000.50")
    measure.funder = ministry
    measure.source_reference = "=31 015, nr. 112"
    measure.save()
    measure.partners.set([prosecution])
    measure.countries.set([netherlands])
    second = make_measure(
        like=measure,
        owner=prosecution,
        parent=measure,
        title="-Voorlichting reizigers",
        status=MeasureStatus.NOT_STARTED,
        visibility=Visibility.INTERNAL,
    )
    measure.log_progress(by=alice, text="+Eerste versie klaar", date=datetime.date(2015, 5, 1))
    return [measure, second]


def history_count():
    return Measure.history.count() + ProgressUpdate.history.count()


def exported_csv():
    rows = files.measure_rows(Measure.objects.order_by("pk"))
    return files.write_csv(headers(MEASURE_COLUMNS), rows)


def exported_xlsx():
    sheets = files.measures_workbook(Measure.objects.order_by("pk"), ProgressUpdate.objects.all())
    return files.write_xlsx(sheets)


def csv_with(changes, extra_rows=()):
    """Return the export as CSV bytes with `changes` ({(row index, key): value}) applied."""
    rows = files.measure_rows(Measure.objects.order_by("pk"))
    for (index, key), value in changes.items():
        rows[index][KEYS.index(key)] = value
    rows += [list(r) for r in extra_rows]
    return files.write_csv(headers(MEASURE_COLUMNS), rows).encode("utf-8")


def new_row(measure, **values):
    cells = dict.fromkeys(KEYS, "")
    cells.update(plan=str(measure.plan), theme="kst", owner="Politie", title="Nieuwe maatregel")
    cells.update(values)
    return [cells[k] for k in KEYS]


def run(data, name="maatregelen.csv", user=None, **kwargs):
    with acting_as(user, "test import"):
        return import_file(data, name, by=user, **kwargs)


def refusal(data, user, name="maatregelen.csv"):
    before = (history_count(), list(Measure.objects.values().order_by("pk")))
    with pytest.raises(ImportRefused) as caught:
        run(data, name, user)
    assert (history_count(), list(Measure.objects.values().order_by("pk"))) == before
    return [str(e) for e in caught.value.errors]


def test_importing_the_unchanged_csv_export_changes_nothing(measures, alice):
    before = history_count()
    report = run(exported_csv().encode("utf-8"), user=alice)
    assert report.count("unchanged") == 2
    assert report.count("updated") == report.count("created") == 0
    assert history_count() == before


def test_importing_the_unchanged_xlsx_export_changes_nothing(measures, alice):
    before = history_count()
    report = run(exported_xlsx(), "maatregelen.xlsx", alice)
    assert report.count("unchanged") == 2
    assert report.count("added") == 0  # The existing update is not added again.
    assert history_count() == before


def test_spaces_and_line_ends_a_spreadsheet_adds_are_no_change(measures, alice):
    Measure.objects.filter(pk=measures[0].pk).update(description="Regel een\nRegel twee\n")
    before = history_count()
    report = run(csv_with({(0, "description"): " Regel een\r\nRegel twee "}), user=alice)
    assert report.count("unchanged") == 2
    assert history_count() == before


def test_an_xlsx_edited_in_a_spreadsheet_program_round_trips(measures, alice):
    """Dates come back as datetimes and amounts as floats: they still compare equal."""
    workbook = load_workbook(io.BytesIO(exported_xlsx()))
    sheet = workbook["Maatregelen"]
    sheet["G2"] = "Handboek kindersekstoerisme, tweede druk"
    out = io.BytesIO()
    workbook.save(out)
    report = run(out.getvalue(), "maatregelen.xlsx", alice)
    assert [(r.action, r.changed) for r in report.results] == [
        ("updated", ["titel"]),
        ("unchanged", []),
    ]


def test_an_edited_title_is_an_update_with_history(measures, alice):
    first = measures[0]
    before = first.history.count()
    report = run(csv_with({(0, "title"): "Handboek (herzien)"}), user=alice)
    assert [(r.action, r.changed) for r in report.results] == [
        ("updated", ["titel"]),
        ("unchanged", []),
    ]
    first.refresh_from_db()
    assert first.title == "Handboek (herzien)"
    assert first.history.count() == before + 1
    record = first.history.latest("history_date")
    assert record.history_user == alice
    assert record.history_origin == "test import"


def test_a_row_without_id_adds_a_measure_with_its_partners(measures, alice):
    data = csv_with({}, [new_row(measures[0], partners="OM;Politie", countries="NL")])
    report = run(data, user=alice)
    assert report.count("created") == 1
    created = Measure.objects.get(title="Nieuwe maatregel")
    assert {o.abbreviation for o in created.partners.all()} == {"OM", "Politie"}
    assert [c.code for c in created.countries.all()] == ["NL"]
    assert created.history.first().history_user == alice


def test_partners_and_status_by_label_and_dutch_dates_are_read(measures, alice):
    changes = {
        (1, "partners"): "Openbaar Ministerie",
        (1, "status"): "Delayed",
        (1, "due_date"): "31-12-2016",
        (1, "budget_eur"): "€ 1.500,25",
    }
    run(csv_with(changes), user=alice)
    second = Measure.objects.get(pk=measures[1].pk)
    assert second.status == MeasureStatus.DELAYED
    assert second.due_date == datetime.date(2016, 12, 31)
    assert second.budget_eur == decimal.Decimal("1500.25")
    assert [o.abbreviation for o in second.partners.all()] == ["OM"]


def test_an_edited_status_label_counts_when_the_code_was_left_alone(measures, alice):
    with translation.override("nl"):
        dutch = str(MeasureStatus.STOPPED.label)
    run(csv_with({(1, "status_label"): dutch}), user=alice)
    assert Measure.objects.get(pk=measures[1].pk).status == MeasureStatus.STOPPED


def test_a_status_and_label_both_edited_differently_are_refused(measures, alice):
    errors = refusal(csv_with({(1, "status"): "delayed", (1, "status_label"): "Stopped"}), alice)
    assert "disagree" in errors[0]


def test_a_status_may_be_given_by_its_dutch_label(measures, alice):
    with translation.override("nl"):
        dutch = str(MeasureStatus.COMPLETED.label)
    run(csv_with({(1, "status"): "", (1, "status_label"): dutch}), user=alice)
    assert Measure.objects.get(pk=measures[1].pk).status == MeasureStatus.COMPLETED


def test_a_new_measure_without_a_title_refuses_the_whole_file(measures, alice):
    errors = refusal(
        csv_with({(0, "title"): "Nieuw"}, extra_rows=[new_row(measures[0], title="")]), alice
    )
    assert len(errors) == 1
    assert errors[0].startswith("Maatregelen, row 4:")
    assert "titel" in errors[0]
    assert Measure.objects.get(pk=measures[0].pk).title != "Nieuw"


def test_an_empty_cell_leaves_the_field_of_a_measure_as_it_is(measures, alice):
    report = run(csv_with({(1, "title"): "", (1, "owner"): "", (1, "status"): ""}), user=alice)
    assert report.count("unchanged") == 2
    assert Measure.objects.get(pk=measures[1].pk).title == "-Voorlichting reizigers"


def test_an_unknown_owner_refuses_the_whole_file(measures, alice):
    errors = refusal(csv_with({(0, "title"): "Nieuw", (1, "owner"): "Bakkerij"}), alice)
    assert errors == ["Maatregelen, row 3: trekker: unknown organisation “Bakkerij”"]


def test_a_bad_date_refuses_the_whole_file(measures, alice):
    errors = refusal(csv_with({(0, "due_date"): "30/06/2016"}), alice)
    assert errors == [
        "Maatregelen, row 2: uiterste datum: “30/06/2016” is not a date; "
        "write yyyy-mm-dd or dd-mm-yyyy."
    ]


def test_an_unknown_status_refuses_the_whole_file(measures, alice):
    errors = refusal(csv_with({(1, "status"): "half klaar"}), alice)
    assert errors == ["Maatregelen, row 3: status: unknown status “half klaar”"]


def test_several_bad_rows_are_each_reported_and_nothing_is_written(measures, alice):
    data = csv_with(
        {(0, "start_date"): "2017-01-01", (1, "theme"): "Onbekend"},
        [new_row(measures[0], title="", due_date="2016-02-30")],
    )
    errors = refusal(data, alice)
    assert [e.split(":")[0] for e in errors] == [
        "Maatregelen, row 2",
        "Maatregelen, row 3",
        "Maatregelen, row 4",
    ]
    assert "The due date cannot be before the start date." in errors[0]
    assert "unknown theme “Onbekend”" in errors[1]
    assert "is not a date that exists" in errors[2]
    assert "titel: This field cannot be blank." in errors[2]  # Every problem of a row at once.


def test_an_unknown_id_is_refused(measures, alice):
    errors = refusal(csv_with({}, [new_row(measures[0], id=9999)]), alice)
    assert "there is no measure with id 9999" in errors[0]


def test_an_id_twice_is_refused(measures, alice):
    rows = files.measure_rows(Measure.objects.order_by("pk"))
    errors = refusal(csv_with({}, [rows[0]]), alice)
    assert errors == [f"Maatregelen, row 4: id {measures[0].pk} is also in row 2"]


def test_unknown_columns_are_refused(measures, alice):
    data = "\ufeffid;titel;kleur\r\n1;x;rood\r\n".encode()
    errors = refusal(data, alice)
    assert errors[0].startswith("Maatregelen, row 1: unknown columns: kleur")


def test_a_dry_run_writes_nothing_and_says_what_would_change(measures, alice):
    before = history_count()
    data = csv_with({(0, "title"): "Nieuw"}, [new_row(measures[0])])
    report = run(data, user=alice, dry_run=True)
    assert [(r.action, r.changed) for r in report.results][:2] == [
        ("updated", ["titel"]),
        ("unchanged", []),
    ]
    assert report.results[2].action == "created"
    assert report.summary.startswith("Dry run, nothing was written")
    assert history_count() == before
    assert Measure.objects.count() == 2
    assert not Measure.objects.filter(title="Nieuw").exists()


def test_an_oversize_file_is_refused(measures, alice, settings):
    settings.TRACKER_MAX_IMPORT_BYTES = 100
    errors = refusal(exported_csv().encode("utf-8"), alice)
    assert "at most 100 bytes can be imported" in errors[0]


def test_too_many_rows_are_refused(measures, alice, settings):
    settings.TRACKER_MAX_IMPORT_ROWS = 1
    errors = refusal(exported_csv().encode("utf-8"), alice)
    assert "more than 1 rows" in errors[0]


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused(measures, alice):
    errors = refusal(b"x", alice, name="maatregelen.pdf")
    assert "only .xlsx and .csv files can be imported" in errors[0]


# --- Progress updates ----------------------------------------------------------------------


def updates_csv(*rows):
    return files.write_csv(headers(UPDATE_COLUMNS), rows).encode("utf-8")


def update_cells(target, **values):
    cells = dict.fromkeys([c.key for c in UPDATE_COLUMNS], "")
    cells.update(measure=target.pk, date="2016-03-01", text="Handboek verschenen")
    cells.update(values)
    return [cells[c.key] for c in UPDATE_COLUMNS]


def test_new_progress_updates_are_logged_through_the_measure(measures, alice):
    second = measures[1]
    data = updates_csv(update_cells(second, status="completed", **{"include_in_letter": "nee"}))
    report = run(None, user=alice, updates_data=data, updates_name="voortgang.csv")
    assert report.count("added") == 1
    update = second.updates.get()
    assert update.text == "Handboek verschenen"
    assert update.include_in_letter is False
    assert update.state == UpdateState.APPROVED  # Alice coordinates.
    assert update.history.get().history_user == alice
    second.refresh_from_db()
    assert second.status == MeasureStatus.COMPLETED
    assert second.completed_date == datetime.date(2016, 3, 1)


def test_progress_updates_come_from_the_voortgang_sheet(measures, alice):
    workbook = load_workbook(io.BytesIO(exported_xlsx()))
    workbook["Voortgang"].append(update_cells(measures[1], text="Campagne gestart"))
    out = io.BytesIO()
    workbook.save(out)
    report = run(out.getvalue(), "maatregelen.xlsx", alice)
    assert report.count("added") == 1
    assert measures[1].updates.get().text == "Campagne gestart"


def test_a_bad_update_row_refuses_the_measures_too(measures, alice):
    before = history_count()
    workbook = load_workbook(io.BytesIO(exported_xlsx()))
    workbook["Maatregelen"]["G2"] = "Nieuwe titel"
    workbook["Voortgang"].append(update_cells(measures[1], text=""))
    workbook["Voortgang"].append(update_cells(measures[1], measure=9999))
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRefused) as caught:
        run(out.getvalue(), "maatregelen.xlsx", alice)
    errors = [str(e) for e in caught.value.errors]
    assert errors[0].startswith("Voortgang, row 3: voortgang:")
    assert errors[1] == "Voortgang, row 4: maatregel (id): there is no measure with id 9999"
    assert history_count() == before
    assert Measure.objects.get(pk=measures[0].pk).title == "Handboek kindersekstoerisme"


def test_an_existing_update_cannot_be_changed_by_import(measures, alice):
    update = measures[0].updates.get()
    row = files.update_rows(ProgressUpdate.objects.all())[0]
    row[5] = "Andere tekst"
    with pytest.raises(ImportRefused, match="cannot be changed by an import"):
        run(None, user=alice, updates_data=updates_csv(row), updates_name="voortgang.csv")
    update.refresh_from_db()
    assert update.text == "+Eerste versie klaar"


def test_a_transition_that_fails_while_writing_rolls_everything_back(measures, alice):
    """Completing a measure before its start date passes the row check but not set_status."""
    before = history_count()
    data = updates_csv(
        update_cells(measures[1], text="Goed"),
        update_cells(measures[0], date="2014-01-01", status="completed"),
    )
    with pytest.raises(ImportRefused) as caught:
        run(None, user=alice, updates_data=data, updates_name="voortgang.csv")
    assert str(caught.value.errors[0]).startswith("Voortgang, row 3:")
    assert history_count() == before
    assert not measures[1].updates.exists()


# --- Cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-06-30", datetime.date(2016, 6, 30)),
        ("30-06-2016", datetime.date(2016, 6, 30)),
        (datetime.datetime(2016, 6, 30), datetime.date(2016, 6, 30)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_strictly(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["30/06/2016", "2016-6-30", "30 juni 2016", "2016-02-30"])
def test_other_date_spellings_are_refused(raw):
    with pytest.raises(ValueError, match="date"):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1500.50", "1500.50"), ("1.500,50", "1500.50"), ("€ 2.000.000", "2000000"), (12.5, "12.5")],
)
def test_amounts_are_read_the_dutch_and_the_plain_way(raw, expected):
    assert parse_decimal(raw) == decimal.Decimal(expected)


def test_an_amount_that_could_be_read_two_ways_is_refused():
    with pytest.raises(ValueError, match="ambiguous"):
        parse_decimal("1.500")


def test_an_imported_status_keeps_the_completion_date_in_step(measures, alice):
    first = measures[0]
    run(csv_with({(0, "status"): "completed"}), user=alice)
    first.refresh_from_db()
    assert (first.status, first.completed_date) == ("completed", datetime.date.today())
    # Reopened in the file while its completion date is still filled in: the date goes.
    row = files.measure_rows(Measure.objects.order_by("pk"))[0]
    assert row[KEYS.index("completed_date")]  # still in the file
    run(csv_with({(0, "status"): "in_progress"}), user=alice)
    first.refresh_from_db()
    assert (first.status, first.completed_date) == ("in_progress", None)


# --- Stale rows, empty cells and visibility --------------------------------------------------


def test_a_row_exported_before_its_measure_was_saved_is_refused_with_what_changed(measures, alice):
    old = csv_with({(0, "description"): "Mijn omschrijving"})
    measures[0].title = "Door een ander gewijzigd"
    measures[0].save_change(by=alice, expected_version=measures[0].version)
    [error] = refusal(old, alice)
    assert error.startswith("Maatregelen, row 2: versie: this row was exported at version")
    assert "Handboek kindersekstoerisme → Door een ander gewijzigd" in error


def test_with_overwrite_a_stale_row_replaces_the_changes_made_since(measures, alice):
    old = csv_with({(0, "description"): "Mijn omschrijving"})
    measures[0].title = "Door een ander gewijzigd"
    measures[0].save_change(by=alice, expected_version=measures[0].version)
    run(old, user=alice, overwrite=True)
    measures[0].refresh_from_db()
    assert (measures[0].title, measures[0].description) == (
        "Handboek kindersekstoerisme",
        "Mijn omschrijving",
    )
    assert measures[0].history.latest("history_date").history_user == alice


def test_a_stale_row_that_changes_nothing_is_no_problem(measures, alice):
    old = csv_with({})
    Measure.objects.filter(pk=measures[0].pk).update(version=7)
    report = run(old, user=alice)
    assert report.count("unchanged") == 2


def test_a_version_the_measure_never_had_is_refused(measures, alice):
    [error] = refusal(csv_with({(0, "version"): 99, (0, "title"): "Nieuw"}), alice)
    assert "versie: version 99 of this measure does not exist" in error


def test_an_empty_visibility_cell_keeps_a_measure_confidential(measures, alice):
    Measure.objects.filter(pk=measures[0].pk).update(visibility=Visibility.CONFIDENTIAL)
    data = b"id;titel;zichtbaarheid\r\n%d;Nieuwe titel;\r\n" % measures[0].pk
    run(data, user=alice)
    measures[0].refresh_from_db()
    assert (measures[0].title, measures[0].visibility) == ("Nieuwe titel", Visibility.CONFIDENTIAL)


def test_an_import_cannot_lower_the_visibility(measures, alice):
    Measure.objects.filter(pk=measures[0].pk).update(visibility=Visibility.CONFIDENTIAL)
    [error] = refusal(csv_with({(0, "visibility"): "public", (0, "version"): ""}), alice)
    assert "zichtbaarheid: an import cannot lower the visibility (from Confidential to Public)" in (
        error
    )
    report = run(csv_with({(1, "visibility"): "vertrouwelijk"}), user=alice)
    assert report.count("updated") == 1
    assert Measure.objects.get(pk=measures[1].pk).visibility == Visibility.CONFIDENTIAL


def test_the_preview_shows_labels_and_names_never_codes(measures, alice):
    report = run(
        csv_with({(0, "status"): "completed", (0, "owner"): "OM"}), user=alice, dry_run=True
    )
    [changed] = [r for r in report.results if r.action == "updated"]
    assert ("status", "In progress", "Completed") in changed.changes
    assert ("trekker", "Nationale Politie (Politie)", "Openbaar Ministerie (OM)") in changed.changes
