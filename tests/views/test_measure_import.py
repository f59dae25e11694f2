"""The coordinators' import page: upload → preview (a dry run) → confirm, with the upload kept on
the server under a token bound to the coordinator, and the same messages as the command."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import Measure, MeasureStatus, ProgressUpdate, Visibility
from measures.spreadsheets import files
from measures.spreadsheets.imports import StoredUpload
from measures.spreadsheets.layout import MEASURE_COLUMNS, UPDATE_COLUMNS, headers
from tests.conftest import make_user
from tests.views.test_measure_edit import form_data

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


IMPORT = reverse("measures:import")
KEYS = [c.key for c in MEASURE_COLUMNS]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TRACKER_IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return settings.TRACKER_IMPORT_UPLOAD_DIR


def kept(upload_dir):
    return sorted(p.name for p in upload_dir.iterdir()) if upload_dir.exists() else []


def export_xlsx(client):
    return client.get(reverse("measures:measure_export", args=["xlsx"])).content


def edited(data, **cells):
    """Return the .xlsx `data` with cells ({"G2": value}) of the measures sheet changed."""
    workbook = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        workbook["Maatregelen"][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(key):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[KEYS.index(key)]


def csv_file(rows, columns=MEASURE_COLUMNS, name="maatregelen.csv"):
    return SimpleUploadedFile(name, files.write_csv(headers(columns), rows).encode())


def row(measure, **values):
    cells = dict(zip(KEYS, files.measure_row(measure), strict=True))
    cells.update(values)
    return [cells[k] for k in KEYS]


def upload(client, data=None, name="maatregelen.xlsx", overwrite=False):
    fields = {"overwrite": "on"} if overwrite else {}
    if data is not None:
        fields["file"] = SimpleUploadedFile(name, data) if isinstance(data, bytes) else data
    return client.post(IMPORT, fields)


def dutch(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_a_coordinator_previews_then_confirms_and_history_names_her(
    alice_client, alice, measure, upload_dir
):
    data = edited(export_xlsx(alice_client), **{f"{column('title')}2": "Handboek, herzien"})
    response = upload(alice_client, data)
    assert response.status_code == 302
    [token] = kept(upload_dir)
    assert response["Location"] == reverse("measures:import_preview", args=[token])

    preview = alice_client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "titel" in page and "Handboek, herzien" in page
    assert Measure.objects.get(pk=measure.pk).title == "Handboek kindersekstoerisme"

    done = alice_client.post(reverse("measures:import_confirm", args=[token]))
    assert done.status_code == 302 and done["Location"] == reverse("measures:list")
    assert Measure.objects.get(pk=measure.pk).title == "Handboek, herzien"
    record = measure.history.latest("history_date")
    assert record.history_user == alice
    assert record.history_origin.startswith("web ")
    assert kept(upload_dir) == []
    followed = alice_client.get(done["Location"])
    assert "0 measures created, 1 updated" in " ".join(str(m) for m in followed.context["messages"])


def test_bad_rows_are_listed_with_their_dutch_column_and_nothing_is_kept(
    alice_client, measure, upload_dir
):
    dutch(alice_client)
    measure.visibility = Visibility.CONFIDENTIAL
    measure.save()
    bad = csv_file(
        [
            row(measure, visibility="public"),
            row(Measure(), plan=str(measure.plan), theme="kst", owner="Nergens", title="Nieuw"),
        ]
    )
    response = upload(alice_client, bad)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [e.row for e in errors] == [2, 3]
    page = response.content.decode()
    assert "zichtbaarheid:" in page and "trekker:" in page
    assert "Vertrouwelijk" in page  # the label, never the code
    for internal in ("visibility:", "owner:", "confidential", "measures.Organisation.None"):
        assert internal not in page
    assert kept(upload_dir) == []
    assert Measure.objects.get(pk=measure.pk).visibility == Visibility.CONFIDENTIAL


def test_an_old_export_after_a_web_edit_is_refused_as_stale_naming_the_change(
    alice_client, measure, upload_dir
):
    old = export_xlsx(alice_client)
    alice_client.post(
        reverse("measures:edit", args=[measure.pk]), form_data(measure, title="Nieuw handboek")
    )
    assert Measure.objects.get(pk=measure.pk).title == "Nieuw handboek"
    data = edited(old, **{f"{column('description')}2": "Een nieuwe omschrijving"})
    response = upload(alice_client, data)
    [error] = response.context["errors"]
    text = " ".join(error.messages)
    assert "versie:" in text and "exported at version 1" in text
    assert "Handboek kindersekstoerisme → Nieuw handboek" in text
    assert kept(upload_dir) == []
    assert Measure.objects.get(pk=measure.pk).description == ""


def test_with_overwrite_the_old_export_applies(alice_client, measure):
    old = export_xlsx(alice_client)
    alice_client.post(
        reverse("measures:edit", args=[measure.pk]), form_data(measure, title="Nieuw handboek")
    )
    data = edited(old, **{f"{column('description')}2": "Een nieuwe omschrijving"})
    response = upload(alice_client, data, overwrite=True)
    assert response.status_code == 302
    alice_client.post(response["Location"].rstrip("/") + "/confirm/")
    measure.refresh_from_db()
    assert measure.description == "Een nieuwe omschrijving"
    assert measure.title == "Handboek kindersekstoerisme"  # the old export's title, overwriting


def test_an_empty_visibility_cell_keeps_a_measure_confidential(alice_client, measure):
    measure.visibility = Visibility.CONFIDENTIAL
    measure.save()
    response = upload(alice_client, csv_file([row(measure, visibility="", title="Herzien")]))
    alice_client.post(response["Location"] + "confirm/")
    measure.refresh_from_db()
    assert (measure.title, measure.visibility) == ("Herzien", Visibility.CONFIDENTIAL)


def test_progress_updates_import_from_a_separate_file(alice_client, alice, measure):
    updates = csv_file(
        [["", measure.pk, "", "2026-01-05", "in_progress", "Pilot gestart", "", "ja", ""]],
        UPDATE_COLUMNS,
        "voortgang.csv",
    )
    response = alice_client.post(IMPORT, {"updates_file": updates})
    preview = alice_client.get(response["Location"])
    assert "Pilot gestart" in preview.content.decode()
    assert "in_progress" not in preview.content.decode()
    alice_client.post(response["Location"] + "confirm/")
    update = ProgressUpdate.objects.get(measure=measure)
    assert (update.text, update.author) == ("Pilot gestart", alice)
    assert update.history.latest().history_user == alice


def test_progress_updates_import_from_the_voortgang_sheet(alice_client, measure, alice):
    measure.log_progress(by=alice, text="Eerste")
    workbook = load_workbook(io.BytesIO(export_xlsx(alice_client)))
    workbook["Voortgang"].append(["", measure.pk, "", "2026-01-06", "", "Tweede", "", "ja", ""])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(alice_client, out.getvalue())
    alice_client.post(response["Location"] + "confirm/")
    assert list(measure.updates.order_by("pk").values_list("text", flat=True)) == [
        "Eerste",
        "Tweede",
    ]


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_viewers_may_not_import(client, request, user, alice, measure):
    client.force_login(alice)
    token = upload(client, export_xlsx(client))["Location"].split("/")[-2]
    client.force_login(request.getfixturevalue(user))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, b"id;titel\n").status_code == 403
    assert client.get(reverse("measures:import_preview", args=[token])).status_code == 403
    assert client.post(reverse("measures:import_confirm", args=[token])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_forged_or_another_coordinators_token_is_refused(client, alice, roles, measure):
    client.force_login(alice)
    data = edited(export_xlsx(client), **{f"{column('title')}2": "Gewijzigd"})
    token = upload(client, data)["Location"].split("/")[-2]
    forged = "A" * 43
    assert client.post(reverse("measures:import_confirm", args=[forged])).status_code == 404
    assert client.post(reverse("measures:import_confirm", args=[".."])).status_code == 404
    other = make_user("olga", roles["coordinator"])
    client.force_login(other)
    assert client.get(reverse("measures:import_preview", args=[token])).status_code == 404
    assert client.post(reverse("measures:import_confirm", args=[token])).status_code == 404
    assert Measure.objects.get(pk=measure.pk).title == "Handboek kindersekstoerisme"


def test_confirm_and_cancel_must_be_posted(alice_client, measure, upload_dir):
    token = upload(alice_client, export_xlsx(alice_client))["Location"].split("/")[-2]
    assert alice_client.get(reverse("measures:import_confirm", args=[token])).status_code == 405
    assert alice_client.get(reverse("measures:import_cancel", args=[token])).status_code == 405
    response = alice_client.post(reverse("measures:import_cancel", args=[token]))
    assert response["Location"] == IMPORT
    assert kept(upload_dir) == []


def test_an_abandoned_upload_expires_and_is_removed(alice_client, measure, upload_dir, settings):
    token = upload(alice_client, export_xlsx(alice_client))["Location"].split("/")[-2]
    settings.TRACKER_IMPORT_UPLOAD_MINUTES = -1
    assert alice_client.get(reverse("measures:import_preview", args=[token])).status_code == 404
    assert kept(upload_dir) == []
    StoredUpload.sweep()


def test_a_file_over_the_limit_is_refused_without_being_kept(alice_client, measure, settings):
    settings.TRACKER_MAX_IMPORT_BYTES = 1000
    response = upload(alice_client, b"x" * 1500, name="m.csv")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = upload(alice_client, b"x" * 5000, name="m.csv")
    assert response.status_code == 413 and response.context["too_large"] == 1000


def test_the_measure_list_offers_the_import_to_coordinators_only(client, alice, vera, bob):
    """Beside the downloads it starts from (the top bar has no room for it at laptop widths)."""
    client.force_login(alice)
    assert IMPORT in client.get(reverse("measures:list")).content.decode()
    for user in (vera, bob):
        client.force_login(user)
        assert IMPORT not in client.get(reverse("measures:list")).content.decode()
        assert IMPORT not in client.get(reverse("measures:dashboard")).content.decode()


def test_the_command_and_the_page_give_the_same_messages(
    alice_client, measure, tmp_path, upload_dir
):
    bad = [
        row(measure, status="ergens", owner="Nergens"),
        row(Measure(), plan=str(measure.plan), theme="kst", owner="Politie", title=""),
    ]
    path = tmp_path / "fout.csv"
    path.write_text(files.write_csv(headers(MEASURE_COLUMNS), bad))
    dutch(alice_client)  # the language the command speaks (settings.LANGUAGE_CODE)
    page = upload(alice_client, csv_file(bad))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_measures", str(path), "--user", "alice", stderr=err)
    printed = err.getvalue().splitlines()
    assert [str(e) for e in page.context["errors"]] == printed
    assert len(printed) == 2 and all(line.startswith("Maatregelen, ") for line in printed)
    assert "trekker" in printed[0] and "titel" in printed[1]
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.IN_PROGRESS


def test_the_admin_measure_list_links_to_the_import_page(alice_client, measure):
    response = alice_client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 200
    assert f'href="{IMPORT}"' in response.content.decode()
    assert "import_export" not in response.content.decode()


def test_the_page_import_with_afgerond_sets_the_completion_date_through_the_one_write_path(
    alice_client, alice, measure, upload_dir
):
    """The import that replaced the admin's (which left the completion date empty): a row moved to
    "Afgerond" is saved through save_change, which dates the status and the completion."""
    data = edited(export_xlsx(alice_client), **{f"{column('status')}2": "Afgerond"})
    assert upload(alice_client, data).status_code == 302
    [token] = kept(upload_dir)
    alice_client.post(reverse("measures:import_confirm", args=[token]))
    measure.refresh_from_db()
    today = datetime.date.today()
    assert (measure.status, measure.status_since, measure.completed_date) == (
        MeasureStatus.COMPLETED,
        today,
        today,
    )
    record = measure.history.latest("history_date")
    assert (record.history_user, record.history_change_reason) == (alice, "import")
