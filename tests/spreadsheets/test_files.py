"""Spreadsheets out: the layout, neutralised formulas in both formats, Dutch-Excel CSV, safe
reading of .xlsx, and the export download."""

import csv
import datetime
import decimal
import io
import zipfile

import pytest
from openpyxl import load_workbook

from measures.models import Country, Measure, MeasureStatus, Visibility
from measures.spreadsheets import files
from measures.spreadsheets.layout import MEASURE_COLUMNS, UPDATE_COLUMNS, headers
from tests.factories import EARLY

DANGEROUS = ["=1+2", "+31 70 123", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def netherlands(db):
    return Country.objects.create(name="Nederland", name_en="Netherlands", code="NL")


@pytest.fixture
def full_measure(measure, prosecution, ministry, netherlands):
    measure.code = "1.2"
    measure.description = "Een handboek voor de politie"
    measure.start_date = datetime.date(2015, 1, 1)
    measure.due_date = datetime.date(2016, 6, 30)
    measure.budget_eur = decimal.Decimal("25000.50")
    measure.funder = ministry
    measure.source_reference = "31 015, nr. 112"
    measure.save()
    measure.partners.set([prosecution])
    measure.countries.set([netherlands])
    return measure


def test_a_measure_row_follows_the_column_layout(full_measure):
    row = files.measure_rows(Measure.objects.filter(pk=full_measure.pk))[0]
    cells = dict(zip([c.key for c in MEASURE_COLUMNS], row, strict=True))
    assert cells["id"] == full_measure.pk
    assert cells["plan"] == "Plan van aanpak kindersekstoerisme"
    assert cells["action_line"] == "Preventie"
    assert cells["theme"] == "Kindersekstoerisme"
    assert cells["owner"] == "Politie"
    assert cells["partners"] == "OM"
    assert cells["status"] == "in_progress"
    assert cells["status_label"] == "Lopend"  # Dutch, whatever the active language.
    assert cells["due_date"] == datetime.date(2016, 6, 30)
    assert cells["funder"] == "JenV"
    assert cells["countries"] == "Nederland"
    assert cells["visibility"] == "public"


def test_csv_has_a_byte_order_mark_and_semicolons(full_measure):
    text = files.write_csv(headers(MEASURE_COLUMNS), files.measure_rows(Measure.objects.all()))
    assert text.startswith('\ufeff"id";"plan";"actielijn";"thema";')
    data_line = text.splitlines()[1]
    assert ';"2016-06-30";' in data_line
    assert ';"25000.50";' in data_line


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_cells_are_neutralised_in_csv(value):
    text = files.write_csv(["titel"], [[value]])
    body = text.split("\r\n", 1)[1]
    assert body.startswith("\"'" + value) or body.startswith("'" + value)


INNER = [
    "CSVTEST,=1+2,end",
    "a;=HYPERLINK()",
    'quote",=1+2',
    "line\n=1+2",
    "list, -2, +3; @x",
    "crlf\r\n@SUM(A1)",
    'mixed";"=1',
]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_csv_cell_starts_a_formula_whichever_separator_a_program_splits_on(delimiter):
    rows = [[value, 5, value] for value in DANGEROUS + INNER]
    text = files.write_csv(["titel", "getal", "omschrijving"], rows)
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
        reader = csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter, quoting=quoting)
        for row in reader:
            for cell in row:
                assert not cell.startswith(files.FORMULA_STARTS), (delimiter, cell)


@pytest.mark.parametrize("value", DANGEROUS + INNER)
def test_csv_neutralising_reads_back_as_it_was(value):
    text = files.write_csv(["titel"], [[value]])
    table = files.read_table(text.encode(), "csv")
    assert table.rows[0][1] == [value.replace("\r\n", "\n").replace("\r", "\n")] or table.rows[0][
        1
    ] == [value]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_cells_are_neutralised_in_xlsx(value):
    data = files.write_xlsx([("Blad", ["titel", "getal"], [[value, -5]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'" + value
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5  # Numbers stay numbers.


def test_ordinary_text_is_written_as_it_is():
    assert files.neutralise("Handboek") == "Handboek"
    assert files.neutralise("e-mail") == "e-mail"
    assert files.neutralise(-3) == -3


def test_neutralised_text_reads_back_as_it_was():
    data = files.write_xlsx([("Blad", ["titel"], [[v] for v in DANGEROUS])])
    table = files.read_table(data, "xlsx")
    assert [cells[0] for _n, cells in table.rows] == DANGEROUS
    text = files.write_csv(["titel"], [[v] for v in DANGEROUS])
    table = files.read_table(text.encode("utf-8"), "csv")
    assert [cells[0] for _n, cells in table.rows] == DANGEROUS


def test_xlsx_dates_are_real_dates_shown_the_iso_way():
    data = files.write_xlsx([("Blad", ["datum"], [[datetime.date(2016, 6, 30)]])])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.value == datetime.datetime(2016, 6, 30)
    assert cell.number_format == "yyyy-mm-dd"


def test_reading_keeps_the_row_numbers_of_the_file_header_being_row_one():
    data = "\ufefftitel;nummer\r\nEen;1\r\n;\r\nTwee;2\r\n".encode()
    table = files.read_table(data, "csv")
    assert table.header == ["titel", "nummer"]
    assert [n for n, _cells in table.rows] == [2, 4]


def test_a_comma_separated_csv_reads_too():
    table = files.read_table(b"titel,nummer\nEen,1\n", "csv")
    assert table.rows == [(2, ["Een", "1"])]


def test_too_many_rows_are_refused(english):
    data = files.write_csv(["titel"], [["x"]] * 11).encode()
    with pytest.raises(files.UnreadableFile, match="more than 10 rows"):
        files.read_table(data, "csv", max_rows=10)


def bomb_xlsx():
    """Return an .xlsx whose sheet uses a 'billion laughs' entity expansion."""
    good = files.write_xlsx([("Blad", ["titel"], [["x"]])])
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    sheet = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == sheet:
                text = content.decode().replace("<t>x</t>", "<t>&i;</t>")
                assert "&i;" in text
                content = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>{text}'.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_openpyxl_reads_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_an_xml_bomb_is_refused_not_expanded(english):
    with pytest.raises(
        files.UnreadableFile, match=r"could not be read safely \(EntitiesForbidden\)"
    ):
        files.read_table(bomb_xlsx(), "xlsx")


def test_a_file_that_is_no_xlsx_is_refused_with_a_message(english):
    with pytest.raises(files.UnreadableFile, match="not a readable .xlsx"):
        files.read_table(b"just text", "xlsx")


def test_export_rows_gives_a_download_for_other_pages():
    response = files.export_rows(
        ["Datum", "Wat"], [[datetime.date(2026, 1, 2), "=HYPERLINK()"]], "csv", "Wijzigingen"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="wijzigingen-')
    assert response.content.decode("utf-8") == (
        '\ufeff"Datum";"Wat"\r\n"2026-01-02";"\'=HYPERLINK()"\r\n'
    )
    with pytest.raises(ValueError, match="Unknown format"):
        files.export_rows(["a"], [], "pdf", "x")


def test_update_rows_follow_their_layout(measure, alice):
    measure.log_progress(by=alice, text="Handboek verschenen", date=datetime.date(2016, 3, 1))
    row = files.update_rows(measure.updates.all())[0]
    cells = dict(zip([c.key for c in UPDATE_COLUMNS], row, strict=True))
    assert cells["measure"] == measure.pk
    assert cells["date"] == datetime.date(2016, 3, 1)
    assert cells["text"] == "Handboek verschenen"
    assert cells["include_in_letter"] == "ja"
    assert cells["author"] == "Alice"
    assert cells["organisation"] == "JenV"


# --- The download --------------------------------------------------------------------------


def make_measures(measure, count, **extra):
    for i in range(count):
        Measure.objects.create(
            joined_on=EARLY,
            plan=measure.plan,
            theme=measure.theme,
            owner=measure.owner,
            title=f"Maatregel {i}",
            status=MeasureStatus.NOT_STARTED,
            **extra,
        )


def test_the_export_download_is_an_xlsx_with_measures_and_updates(client, alice, full_measure):
    full_measure.log_progress(by=alice, text="Gestart")
    client.force_login(alice)
    response = client.get("/measures/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == files.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Maatregelen", "Voortgang"]
    assert workbook["Maatregelen"]["G2"].value == "Handboek kindersekstoerisme"
    assert workbook["Voortgang"]["F2"].value == "Gestart"


def test_the_csv_download_holds_the_measures(client, vera, full_measure):
    client.force_login(vera)
    response = client.get("/measures/export.csv")
    text = response.content.decode("utf-8")
    assert text.startswith('\ufeff"id";"plan";')
    assert "Handboek kindersekstoerisme" in text


def test_a_viewer_does_not_get_confidential_measures(client, vera, measure):
    make_measures(measure, 1, visibility=Visibility.CONFIDENTIAL)
    client.force_login(vera)
    text = client.get("/measures/export.csv").content.decode("utf-8")
    assert "Handboek kindersekstoerisme" in text
    assert "Maatregel 0" not in text


def test_an_unknown_format_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get("/measures/export.pdf").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get("/measures/export.csv")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_takes_the_same_queries_for_few_and_many_measures(
    client, alice, measure, count, django_assert_num_queries
):
    make_measures(measure, count)
    client.force_login(alice)
    # session, user, user's groups (coordinator check), measures with plan/line/theme/owner/
    # responsible/funder, their partners, their countries
    with django_assert_num_queries(6):
        response = client.get("/measures/export.csv")
    assert response.content.decode("utf-8").count("\r\n") == count + 2
