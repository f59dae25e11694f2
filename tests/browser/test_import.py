"""The spreadsheet import in the browser: a coordinator downloads the export, changes a title,
uploads it, sees the change in the preview and confirms it."""

import io

import pytest
from openpyxl import load_workbook

from measures.models import Measure
from measures.spreadsheets import files, layout

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TRACKER_IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return settings.TRACKER_IMPORT_UPLOAD_DIR


def test_upload_preview_confirm(page, live_server, programme, tmp_path, upload_dir):
    measure = programme[0]
    data = files.write_xlsx(files.measures_workbook(Measure.objects.filter(pk=measure.pk)))
    workbook = load_workbook(io.BytesIO(data))
    title = [c.key for c in layout.MEASURE_COLUMNS].index("title") + 1
    workbook["Maatregelen"].cell(row=2, column=title, value="Geïmporteerde titel")
    path = tmp_path / "maatregelen.xlsx"
    workbook.save(path)

    log_in(page, live_server, "alice", "/measures/")
    page.click("#import-link")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/measures/import/" in page.url and page.url != f"{live_server.url}/measures/import/"
    preview = page.locator("main table").inner_text()
    assert "titel" in preview and "Geïmporteerde titel" in preview
    assert Measure.objects.get(pk=measure.pk).title != "Geïmporteerde titel"

    with page.expect_navigation():
        page.click("main form[action$='/confirm/'] button")
    assert page.url.endswith("/measures/")
    assert Measure.objects.get(pk=measure.pk).title == "Geïmporteerde titel"
    assert measure.history.latest("history_date").history_user.username == "alice"
    assert not any(upload_dir.iterdir())
