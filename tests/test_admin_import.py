"""The admin's spreadsheet import (django-import-export): preview, confirm, history, refusal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from measures import spreadsheets
from measures.admin import MeasureAdmin
from measures.models import Measure
from measures.resources import FORMATS, TrackerCSV, TrackerXLSX

IMPORT_URL = "/admin/measures/measure/import/"
PROCESS_URL = "/admin/measures/measure/process_import/"
EXPORT_URL = "/admin/measures/measure/export/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def exported_xlsx(**edits):
    data = spreadsheets.write_xlsx(spreadsheets.measures_workbook(Measure.objects.order_by("pk")))
    workbook = load_workbook(io.BytesIO(data))
    for cell, value in edits.items():
        workbook["Maatregelen"][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, data, name="maatregelen.xlsx", fmt=TrackerXLSX):
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": str(FORMATS.index(fmt)),
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(PROCESS_URL, {**form.initial, "resource": "0"})


def test_the_measure_admin_keeps_history_and_offers_import_and_export():
    from simple_history.admin import SimpleHistoryAdmin

    assert issubclass(MeasureAdmin, SimpleHistoryAdmin)
    assert MeasureAdmin.object_history_template == "simple_history/object_history.html"


def test_the_changelist_shows_the_history_and_import_buttons(client, alice, measure):
    client.force_login(alice)
    html = client.get("/admin/measures/measure/").content.decode()
    assert IMPORT_URL in html
    assert EXPORT_URL in html
    history = client.get(f"/admin/measures/measure/{measure.pk}/history/")
    assert history.status_code == 200


def test_a_coordinator_previews_then_confirms_an_import_with_history(client, alice, measure):
    client.force_login(alice)
    before = measure.history.count()
    preview = upload(client, exported_xlsx(G2="Handboek (herzien)"))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    assert "(herzien)" in preview.content.decode()  # The diff shows the new title.
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"  # The preview wrote nothing.
    assert measure.history.count() == before

    done = confirm(client, preview)
    assert done.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Handboek (herzien)"
    assert measure.history.count() == before + 1
    record = measure.history.latest("history_date")
    assert record.history_user == alice
    assert record.history_origin.startswith("web")


def test_an_unchanged_file_writes_no_history_in_the_admin(client, alice, measure):
    client.force_login(alice)
    before = measure.history.count()
    preview = upload(client, exported_xlsx())
    assert preview.context["result"].totals["skip"] == 1
    confirm(client, preview)
    assert measure.history.count() == before


def test_a_csv_with_a_new_measure_imports_in_the_admin(client, alice, measure, prosecution):
    client.force_login(alice)
    rows = spreadsheets.measure_rows(Measure.objects.all())
    new = ["", str(measure.plan), "Preventie", "kst", "", "", "Nieuw", "", "OM", "", "delayed"]
    rows.append(new + [""] * (len(rows[0]) - len(new)))
    data = spreadsheets.write_csv(spreadsheets.headers(spreadsheets.MEASURE_COLUMNS), rows)
    preview = upload(client, data.encode("utf-8"), "maatregelen.csv", TrackerCSV)
    assert preview.context["result"].totals["new"] == 1, preview.context["result"].invalid_rows
    confirm(client, preview)
    created = Measure.objects.get(title="Nieuw")
    assert created.owner.abbreviation == "OM"
    assert created.status == "delayed"
    assert created.history.get().history_user == alice


def test_a_bad_row_is_shown_in_the_preview_and_cannot_be_confirmed(client, alice, measure):
    client.force_login(alice)
    preview = upload(client, exported_xlsx(G2="", I2="Bakkerij", N2="31/12/2016"))
    result = preview.context["result"]
    assert result.has_validation_errors()
    errors = result.invalid_rows[0].error_dict
    assert "“Bakkerij”" in str(errors["owner"])  # The page is Dutch: unknown organisation.
    assert "“31/12/2016”" in str(errors["due_date"])
    assert "title" in errors
    assert "confirm_form" not in preview.context
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"


def test_an_xml_bomb_is_refused_in_the_admin(client, alice, measure):
    from tests.test_spreadsheets import bomb_xlsx

    client.force_login(alice)
    preview = upload(client, bomb_xlsx())
    assert "could not be read safely" in str(preview.context["form"].errors["import_file"])


def test_an_oversize_file_is_refused_in_the_admin(client, alice, measure, settings):
    settings.TRACKER_MAX_IMPORT_BYTES = 1000
    client.force_login(alice)
    preview = upload(client, exported_xlsx())
    assert "at most 1000 bytes" in str(preview.context["form"].errors["import_file"])


def test_a_viewer_may_not_import_or_export(client, vera, measure):
    vera.is_staff = True
    vera.save()
    client.force_login(vera)
    assert client.get("/admin/measures/measure/").status_code == 200  # Vera may look.
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, exported_xlsx(G2="Gewijzigd")).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"


def test_the_admin_export_neutralises_formulas(client, alice, measure):
    measure.title = "=HYPERLINK(1)"
    measure.save()
    client.force_login(alice)
    response = client.post(
        EXPORT_URL,
        {"format": str(FORMATS.index(TrackerCSV)), "resource": "0"}
        | {f"measureresource_{key}": "on" for key in spreadsheets_keys()},
    )
    assert response.status_code == 200, response.content[:2000]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffid;plan;")
    assert ";'=HYPERLINK(1);" in text


def spreadsheets_keys():
    return [c.key for c in spreadsheets.MEASURE_COLUMNS]
